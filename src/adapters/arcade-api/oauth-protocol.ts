/**
 * OAuth 2.0 with PKCE (S256) through oauth4webapi, loaded only by `login` and a refresh: the
 * authorization URL, the callback's checks (state, `error`), the code exchange and the refresh,
 * each request sent through the CLI's own outbound layer (proxies, bounds, no redirects).
 */
import { AppError, text, url as urlValue, value } from '../../domain/errors.js';
import type * as OAuthLibrary from 'oauth4webapi';
import type { CliConfig, IssuedTokens } from '../../domain/ports/coordinator.js';
import { outboundFetch } from '../http/outbound-fetch.js';

/** The scopes today's Python CLI asks for: an OpenID login and a refresh token. */
const SCOPES = 'openid offline_access';
const CLOUD = 'Arcade Cloud' as const;

type OAuth = typeof OAuthLibrary;

/** The Coordinator as oauth4webapi describes a server, and this CLI as its public client. */
function parties(oauth: OAuth, coordinatorUrl: string, config: CliConfig) {
  const server = {
    issuer: new URL(coordinatorUrl).origin,
    authorization_endpoint: config.authorizationEndpoint,
    token_endpoint: config.tokenEndpoint,
  };
  return { server, client: { client_id: config.clientId }, auth: oauth.None() };
}

/**
 * The token endpoint's answers without `id_token`: the CLI takes who the user is from `whoami`
 * over TLS, as the Python CLI does, and never uses an ID token, so it does not validate one
 * against an issuer the Coordinator does not name.
 */
async function tokenFetch(url: string, options: Parameters<typeof outboundFetch>[1]): Promise<Response> {
  const response = await outboundFetch(url, options);
  if (!response.ok) return response;
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (body === null || typeof body !== 'object')
    return new Response('{}', { status: response.status, headers: response.headers });
  const { id_token: _idToken, ...rest } = body;
  return new Response(JSON.stringify(rest), { status: response.status, headers: { 'content-type': 'application/json' } });
}

function options(oauth: OAuth, url: string) {
  // A Coordinator on plain http is one the user named (a local Arcade): allowed, as the Python CLI allows it.
  return { [oauth.customFetch]: tokenFetch, ...(url.startsWith('http:') ? { [oauth.allowInsecureRequests]: true } : {}) };
}

/** What the token endpoint answered, as tokens; an OAuth error is `refused` for a refresh, an AppError otherwise. */
function tokensOf(
  answer: { access_token: string; refresh_token?: string; expires_in?: number },
  previousRefreshToken: string | null,
  coordinatorUrl: string,
): IssuedTokens {
  const refreshToken = answer.refresh_token ?? previousRefreshToken;
  const expiresIn = answer.expires_in;
  if (!refreshToken || typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)
    throw new AppError(
      'bad-response',
      text`${CLOUD} at ${urlValue(coordinatorUrl)} sent no refresh token or expiry with its tokens.`,
    );
  return { accessToken: answer.access_token, refreshToken, expiresInSeconds: Math.min(expiresIn, 365 * 24 * 3600) };
}

/** A failure of the token request itself (not an OAuth error answer): the Coordinator's answer was not usable. */
function unusable(error: unknown, coordinatorUrl: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return new AppError('network', text`Cannot reach ${CLOUD}'s token endpoint at ${urlValue(coordinatorUrl)} (${value(code)}).`);
  return new AppError(
    'bad-response',
    text`${CLOUD} at ${urlValue(coordinatorUrl)} sent an unexpected answer to the token request.`,
  );
}

export async function tokenRequests(coordinatorUrl: string, config: CliConfig) {
  const oauth = await import('oauth4webapi');
  const { server, client, auth } = parties(oauth, coordinatorUrl, config);
  return {
    /** A refresh token for new tokens; 'refused' when the Coordinator turns it down with an OAuth error (invalid_grant). */
    async refresh(refreshToken: string): Promise<IssuedTokens | 'refused'> {
      try {
        const response = await oauth.refreshTokenGrantRequest(
          server,
          client,
          auth,
          refreshToken,
          options(oauth, config.tokenEndpoint),
        );
        return tokensOf(await oauth.processRefreshTokenResponse(server, client, response), refreshToken, coordinatorUrl);
      } catch (error) {
        if (error instanceof oauth.ResponseBodyError) return 'refused';
        throw unusable(error, coordinatorUrl);
      }
    },
    /** The callback's code for tokens, with the PKCE verifier the authorization URL's challenge came from. */
    async exchange(callback: URLSearchParams, redirectUri: string, codeVerifier: string): Promise<IssuedTokens> {
      try {
        const response = await oauth.authorizationCodeGrantRequest(
          server,
          client,
          auth,
          callback,
          redirectUri,
          codeVerifier,
          options(oauth, config.tokenEndpoint),
        );
        return tokensOf(await oauth.processAuthorizationCodeResponse(server, client, response), null, coordinatorUrl);
      } catch (error) {
        if (error instanceof oauth.ResponseBodyError)
          throw new AppError(
            'login-failed',
            text`Login failed: ${CLOUD} refused the login code (${value(error.error)}). Run \`arcade login\` again.`,
          );
        throw unusable(error, coordinatorUrl);
      }
    },
  };
}

/** A new authorization: its URL for the browser, and what checking the callback needs. */
export async function startAuthorization(coordinatorUrl: string, config: CliConfig, redirectUri: string) {
  const oauth = await import('oauth4webapi');
  const { server, client } = parties(oauth, coordinatorUrl, config);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(config.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', SCOPES);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return {
    url: url.toString(),
    codeVerifier,
    /**
     * The callback's parameters checked (the state this authorization sent, no `error`): the
     * parameters to exchange, `state-mismatch`, or the error the Coordinator sent.
     */
    check(
      callback: URL,
    ):
      | { kind: 'ok'; params: URLSearchParams }
      | { kind: 'state-mismatch' }
      | { kind: 'denied'; error: string; description: string | null } {
      if (callback.searchParams.get('state') !== state) return { kind: 'state-mismatch' };
      try {
        const params = oauth.validateAuthResponse(server, client, callback, state);
        if (!params.get('code')) return { kind: 'denied', error: 'invalid_response', description: 'no authorization code' };
        return { kind: 'ok', params };
      } catch (error) {
        if (error instanceof oauth.AuthorizationResponseError)
          return { kind: 'denied', error: error.error, description: error.error_description ?? null };
        // Anything else the library rejects (no code, a malformed answer) is no usable callback either.
        if (error instanceof Error) return { kind: 'denied', error: 'invalid_response', description: null };
        throw error;
      }
    },
  };
}
