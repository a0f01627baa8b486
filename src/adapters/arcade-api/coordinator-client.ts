import { AppError, text, url as urlValue } from '../../domain/errors.js';
import type { Coordinator, IssuedTokens } from '../../domain/ports/coordinator.js';
import { unreachable } from '../http/network-failure.js';
import { routeTo } from '../http/proxy-route.js';
import { asRecord, gotAgent, refusal } from './arcade-http.js';

const CLOUD = 'Arcade Cloud' as const;
const TIMEOUT_MS = 10_000;

/** What `GET /api/v1/auth/cli_config` names: the CLI's OAuth client and the Coordinator's endpoints. */
export interface CliConfig {
  readonly clientId: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
}

/**
 * The Coordinator over HTTP (got, loaded on first use; through the proxy when one is set). No
 * redirect is followed and nothing is retried: a token request spends a refresh token.
 */
export class CoordinatorClient implements Coordinator {
  async refresh(coordinatorUrl: string, refreshToken: string): Promise<IssuedTokens | 'refused'> {
    const config = await this.cliConfig(coordinatorUrl);
    if (config === null)
      throw new AppError(
        'bad-response',
        text`${CLOUD} at ${urlValue(coordinatorUrl)} has no OAuth configuration (cli_config). Run \`arcade login\`.`,
      );
    const answer = await this.call(new URL(config.tokenEndpoint), 'POST', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: config.clientId,
    });
    // invalid_grant (400) or an unauthorized client (401): the refresh token is dead, the login over.
    if (answer.status === 400 || answer.status === 401) return 'refused';
    const failed = refusal(CLOUD, answer.status, text`the token request`);
    if (failed) throw failed;
    return issuedTokens(answer.body, refreshToken, coordinatorUrl);
  }

  /** `cli_config`, or null when the Cloud has none (404: a Cloud without OAuth). */
  async cliConfig(coordinatorUrl: string): Promise<CliConfig | null> {
    const answer = await this.call(new URL('/api/v1/auth/cli_config', coordinatorUrl), 'GET');
    if (answer.status === 404) return null;
    const failed = refusal(CLOUD, answer.status, text`GET /api/v1/auth/cli_config`);
    if (failed) throw failed;
    const body = asRecord(answer.body);
    const [clientId, authorizationEndpoint, tokenEndpoint] = [
      body?.client_id,
      body?.authorization_endpoint,
      body?.token_endpoint,
    ];
    if (
      typeof clientId !== 'string' ||
      clientId === '' ||
      ![authorizationEndpoint, tokenEndpoint].every(
        (endpoint) => typeof endpoint === 'string' && /^https?:\/\//.test(endpoint) && URL.canParse(endpoint),
      )
    )
      throw new AppError('bad-response', text`${CLOUD} at ${urlValue(coordinatorUrl)} sent an unexpected OAuth configuration.`);
    return { clientId, authorizationEndpoint: authorizationEndpoint as string, tokenEndpoint: tokenEndpoint as string };
  }

  private async call(
    url: URL,
    method: 'GET' | 'POST',
    form?: Record<string, string>,
  ): Promise<{ status: number; body: unknown }> {
    const [{ got, RequestError }, route] = await Promise.all([import('got'), routeTo(url)]);
    let response;
    try {
      response = await got(url, {
        method,
        form,
        headers: { accept: 'application/json' },
        timeout: { request: TIMEOUT_MS },
        retry: { limit: 0 },
        followRedirect: false,
        throwHttpErrors: false,
        responseType: 'text',
        ...gotAgent(route, url),
      });
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      throw new AppError(
        error.code === 'ETIMEDOUT' ? 'timeout' : 'network',
        unreachable(CLOUD, url.origin, error, route, { shown: 'ARCADE_CLOUD_URL', sent: 'ARCADE_CLOUD_URL' }),
      );
    }
    let body: unknown = null;
    try {
      body = response.body.trim() === '' ? null : (JSON.parse(response.body) as unknown);
    } catch (error) {
      // Not JSON: a shape check below or the status says what is wrong.
      if (!(error instanceof SyntaxError)) throw error;
    }
    return { status: response.statusCode, body };
  }
}

/** The token endpoint's answer, checked; a refresh token left out means the old one stays valid (RFC 6749 6). */
function issuedTokens(body: unknown, previousRefreshToken: string, coordinatorUrl: string): IssuedTokens {
  const record = asRecord(body);
  const accessToken = record?.access_token;
  const refreshToken = record?.refresh_token ?? previousRefreshToken;
  const expiresIn = record?.expires_in;
  if (
    typeof accessToken !== 'string' ||
    accessToken === '' ||
    typeof refreshToken !== 'string' ||
    refreshToken === '' ||
    typeof expiresIn !== 'number' ||
    !Number.isFinite(expiresIn) ||
    expiresIn <= 0
  )
    throw new AppError(
      'bad-response',
      text`${CLOUD} at ${urlValue(coordinatorUrl)} sent an unexpected answer to the token request.`,
    );
  return { accessToken, refreshToken, expiresInSeconds: Math.min(expiresIn, 365 * 24 * 3600) };
}
