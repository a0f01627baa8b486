import { AppError, ours, text, url as urlValue } from '../../domain/errors.js';
import type {
  CliConfig,
  Coordinator,
  CoordinatorAccount,
  IssuedTokens,
  Organization,
  Project,
} from '../../domain/ports/coordinator.js';
import { unreachable } from '../http/network-failure.js';
import { routeTo } from '../http/proxy-route.js';
import {
  asRecord,
  attempt,
  callArcade,
  endpoint,
  expectShape,
  missingList,
  refusal,
  TOO_LARGE,
  tooLargeAnswer,
} from './arcade-http.js';
import { tokenRequests } from './oauth-protocol.js';

const CLOUD = 'Arcade Cloud' as const;
/** Where a Coordinator URL comes from, for messages. */
const SETTING = { url: '', setting: 'ARCADE_CLOUD_URL' };

/**
 * The Coordinator over HTTP, through the proxy when one is set: its JSON API with got (loaded on
 * first use), its token endpoint through the OAuth library (oauth-protocol.ts). No redirect is
 * followed; a token request is never retried (it spends a refresh token).
 */
export class CoordinatorClient implements Coordinator {
  async cliConfig(coordinatorUrl: string): Promise<CliConfig | null> {
    const url = new URL('/api/v1/auth/cli_config', coordinatorUrl);
    const [{ RequestError }, route] = await Promise.all([import('got'), routeTo(url)]);
    const response = await attempt(url, route, { headers: { accept: 'application/json' } });
    if (response === TOO_LARGE)
      throw tooLargeAnswer(CLOUD, url.origin, text`GET /api/v1/auth/cli_config`, ours('ARCADE_CLOUD_URL or --host'));
    if (response instanceof RequestError)
      throw new AppError(
        response.code === 'ETIMEDOUT' ? 'timeout' : 'network',
        unreachable(CLOUD, url.origin, response, route, ours('ARCADE_CLOUD_URL or --host')),
      );
    if (response.statusCode === 404) return null;
    const failed = refusal(CLOUD, response.statusCode, text`GET /api/v1/auth/cli_config`);
    if (failed) throw failed;
    let body: Record<string, unknown> | undefined;
    try {
      body = asRecord(JSON.parse(response.body));
    } catch (error) {
      // Not JSON: the shape check below says so.
      if (!(error instanceof SyntaxError)) throw error;
    }
    const [clientId, authorizationEndpoint, tokenEndpoint] = [
      body?.client_id,
      body?.authorization_endpoint,
      body?.token_endpoint,
    ];
    const isUrl = (value: unknown): value is string =>
      typeof value === 'string' && /^https?:\/\//.test(value) && URL.canParse(value);
    if (typeof clientId !== 'string' || clientId === '' || !isUrl(authorizationEndpoint) || !isUrl(tokenEndpoint))
      throw new AppError('bad-response', text`${CLOUD} at ${urlValue(coordinatorUrl)} sent an unexpected OAuth configuration.`);
    return { clientId, authorizationEndpoint, tokenEndpoint };
  }

  async refresh(coordinatorUrl: string, refreshToken: string): Promise<IssuedTokens | 'refused'> {
    const config = await this.cliConfig(coordinatorUrl);
    if (config === null)
      throw new AppError(
        'bad-response',
        text`${CLOUD} at ${urlValue(coordinatorUrl)} has no OAuth configuration (cli_config). Run \`arcade login\`.`,
      );
    return (await tokenRequests(coordinatorUrl, config)).refresh(refreshToken);
  }

  async whoami(coordinatorUrl: string, accessToken: string): Promise<CoordinatorAccount> {
    const access = { bearer: accessToken, target: { ...SETTING, url: coordinatorUrl } };
    const point = endpoint('GET', '/api/v1/auth/whoami');
    const response = await callArcade(CLOUD, access, point);
    const data = asRecord(expectShape(CLOUD, access, point, response.found ? asRecord(response.body)?.data : undefined));
    const accountId = data?.account_id ?? data?.principal_id;
    const email = data?.email;
    if (typeof accountId !== 'string' || accountId === '' || typeof email !== 'string')
      expectShape(CLOUD, access, point, undefined);
    return {
      accountId: accountId as string,
      email: email as string,
      organizations: listOf(data?.organizations, organization),
      projects: listOf(data?.projects, project),
    };
  }

  async organizations(coordinatorUrl: string, accessToken: string): Promise<Organization[]> {
    return this.items(coordinatorUrl, accessToken, endpoint('GET', '/api/v1/orgs'), organization);
  }

  async projects(coordinatorUrl: string, accessToken: string, orgId: string): Promise<Project[]> {
    return this.items(coordinatorUrl, accessToken, endpoint('GET', '/api/v1/orgs/{id}/projects', orgId), project);
  }

  /** `{"data":{"items":[...]}}`, each item read by `read` (one that does not read is left out). */
  private async items<T>(
    coordinatorUrl: string,
    accessToken: string,
    point: ReturnType<typeof endpoint>,
    read: (value: unknown) => T | null,
  ): Promise<T[]> {
    const access = { bearer: accessToken, target: { ...SETTING, url: coordinatorUrl } };
    const response = await callArcade(CLOUD, access, point);
    if (!response.found) throw missingList(CLOUD, access.target, point);
    const items = asRecord(asRecord(response.body)?.data)?.items;
    return listOf(expectShape(CLOUD, access, point, Array.isArray(items) ? items : undefined), read);
  }
}

function listOf<T>(value: unknown, read: (value: unknown) => T | null): T[] {
  return Array.isArray(value) ? value.map(read).filter((item): item is T => item !== null) : [];
}

function organization(value: unknown): Organization | null {
  const record = asRecord(value);
  const id = record?.org_id ?? record?.organization_id;
  if (typeof id !== 'string' || id === '') return null;
  return { id, name: typeof record?.name === 'string' ? record.name : id, isDefault: record?.is_default === true };
}

function project(value: unknown): Project | null {
  const record = asRecord(value);
  const id = record?.project_id;
  if (typeof id !== 'string' || id === '') return null;
  return { id, name: typeof record?.name === 'string' ? record.name : id, isDefault: record?.is_default === true };
}
