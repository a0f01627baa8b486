import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { bearerKey, closeServer, listenOnLoopback, neverAnswer, readBody, sendJson } from './http-helpers.js';

export interface CloudAccount {
  readonly apiKey: string;
  readonly email: string;
  readonly principalId: string;
}

/** An account as the Coordinator knows it (OAuth logins). */
export interface OAuthUser {
  readonly accountId: string;
  readonly email: string;
  readonly organizations: ReadonlyArray<{ org_id: string; name: string; is_default?: boolean }>;
  readonly projects: ReadonlyArray<{ project_id: string; name: string; is_default?: boolean }>;
}

/** How `/api/v1/auth/validate` behaves: answer, fail with 500, answer HTML, or never answer. */
export type ValidateMode = 'ok' | 'error' | 'html' | 'hang';

/**
 * A local stand-in for Arcade Cloud: key validation, a CLI login page that "logs in" the
 * configured account at once by redirecting the browser to the CLI's callback, and worker
 * deployments.
 */
/** What a worker's log stream serves. */
export interface LogStreamScript {
  readonly lines: readonly string[];
  /** Ms between lines. */
  readonly intervalMs?: number;
  /** Cut the first connection after this many lines. */
  readonly dropAfter?: number;
  /** End with `event: error` carrying this, instead of `[DONE]`. */
  readonly error?: string;
  dropped?: boolean;
}

export class FakeArcadeCloud {
  readonly accounts = new Map<string, CloudAccount>();
  /** The account the login page logs in. */
  loginAccount: CloudAccount | null = null;
  /** When true, the login page sends the browser back with a state it did not get (a forgery). */
  forgeState = false;
  validateMode: ValidateMode = 'ok';
  /** Every validate request's API key, in order. */
  readonly lookups: string[] = [];
  /** Worker deployments, as `GET /api/v1/workers` lists them. */
  readonly deployments: Array<{ name: string; endpoint: string }> = [];
  /** Each worker's log stream, as `GET /api/v1/workers/logs/{id}` serves it. */
  readonly logStreams = new Map<string, LogStreamScript>();
  /** The `Last-Event-ID` of every log stream request, in order (null when there was none). */
  readonly logRequests: (string | null)[] = [];
  /** The Coordinator's OAuth side: off (`cli_config` answers 404, as a Cloud without OAuth) until true. */
  oauth = false;
  /** Live access tokens and the account each belongs to. */
  readonly accessTokens = new Map<string, OAuthUser>();
  /** Live refresh tokens; each is good for one refresh (rotation), after which it is refused. */
  readonly refreshTokens = new Map<string, OAuthUser>();
  /** Every token request's `grant_type` and `refresh_token`, in order. */
  readonly tokenRequests: Array<{ grantType: string | null; refreshToken: string | null }> = [];
  /** Answer token requests only after this long (a real Coordinator across a network). */
  tokenDelayMs = 0;
  /** Projects by organization (`GET /api/v1/orgs/{id}/projects`); the user's own list when absent. */
  readonly projectsByOrg = new Map<string, OAuthUser['projects']>();
  /** Lifetime of the access tokens issued. */
  expiresInSeconds = 3600;
  /** Called with every access token issued (a test lets the Engine stand-in accept it). */
  onAccessToken: ((token: string) => void) | null = null;
  /** The authorization endpoint cli_config names; this stand-in's own page when null. */
  authorizationEndpoint: string | null = null;
  /** The account the OAuth authorization page logs in (the browser is sent back with a code for it). */
  oauthLoginUser: OAuthUser | null = null;
  /** When set, the authorization page sends the browser back with this OAuth `error` instead of a code. */
  oauthError: string | null = null;
  /** Codes issued and not yet exchanged: who, for which redirect URI and PKCE challenge. */
  private readonly codes = new Map<string, { user: OAuthUser; redirectUri: string; challenge: string }>();
  /** Answer `whoami` only after this long. */
  whoamiDelayMs = 0;
  /** How many `whoami` requests were made. */
  whoamiRequests = 0;
  private issued = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(port = 0): Promise<FakeArcadeCloud> {
    let instance: FakeArcadeCloud | undefined;
    const { server, url } = await listenOnLoopback((req, res) => void instance!.handle(req, res), port);
    instance = new FakeArcadeCloud(server, url);
    return instance;
  }

  /** Issues an access and a refresh token for `user`, as a login would. */
  issueTokens(user: OAuthUser): { accessToken: string; refreshToken: string } {
    this.issued += 1;
    const accessToken = `at_${this.issued}_${user.accountId}`;
    const refreshToken = `rt_${this.issued}_${user.accountId}`;
    this.accessTokens.set(accessToken, user);
    this.refreshTokens.set(refreshToken, user);
    this.onAccessToken?.(accessToken);
    return { accessToken, refreshToken };
  }

  addAccount(account: CloudAccount): CloudAccount {
    this.accounts.set(account.apiKey, account);
    return account;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/api/v1/auth/validate') return this.validate(req, res);
    if (req.method === 'GET' && url.pathname === '/api/v1/auth/cli_login') return this.loginPage(url, res);
    if (req.method === 'GET' && url.pathname === '/api/v1/auth/cli_config') return this.cliConfig(res);
    if (req.method === 'GET' && url.pathname === '/api/v1/auth/whoami') return this.whoami(req, res);
    if (req.method === 'POST' && url.pathname === '/oauth/token') return this.token(req, res);
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') return this.authorizePage(url, res);
    if (req.method === 'GET' && url.pathname === '/api/v1/orgs') return this.organizations(req, res);
    const projects = /^\/api\/v1\/orgs\/([^/]+)\/projects$/.exec(url.pathname);
    if (req.method === 'GET' && projects) return this.projects(req, decodeURIComponent(projects[1]), res);
    if (url.pathname.startsWith('/api/v1/workers')) return this.workers(req, url, res);
    sendJson(res, 404, { error: 'not found' });
  }

  private workers(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (!this.accounts.has(bearerKey(req)) && !this.accessTokens.has(bearerKey(req)))
      return sendJson(res, 401, { error: 'unauthorized' });
    if (req.method === 'GET' && url.pathname.startsWith('/api/v1/workers/logs/'))
      return this.logs(req, decodeURIComponent(url.pathname.slice('/api/v1/workers/logs/'.length)), res);
    if (req.method === 'GET' && url.pathname === '/api/v1/workers')
      return sendJson(res, 200, { data: { workers: this.deployments } });
    const name = decodeURIComponent(url.pathname.slice('/api/v1/workers/'.length));
    const index = this.deployments.findIndex((deployment) => deployment.name === name);
    if (req.method !== 'DELETE' || index < 0) return sendJson(res, 404, { error: 'not found' });
    this.deployments.splice(index, 1);
    sendJson(res, 200, { data: { name } });
  }

  /**
   * A worker's log lines as server-sent events (`id: n`, `data: line`), from the one after
   * `Last-Event-ID`, then `data: [DONE]` (or `event: error`). `dropAfter` lines in, the first
   * connection is cut, as a flaky network would.
   */
  private logs(req: IncomingMessage, workerId: string, res: ServerResponse): void {
    const script = this.logStreams.get(workerId);
    const lastEventId = typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : null;
    this.logRequests.push(lastEventId);
    if (!script) return sendJson(res, 404, { error: 'worker not found' });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const first = lastEventId === null ? 0 : Number(lastEventId) + 1;
    const drop = script.dropAfter !== undefined && !script.dropped ? first + script.dropAfter : Infinity;
    let next = first;
    const send = () => {
      if (res.destroyed) return;
      if (next >= drop) {
        script.dropped = true;
        res.write('id: 999\ndata: half an ev'); // an event cut off mid-way: never to be shown
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      if (next < script.lines.length) {
        res.write(`id: ${next}\ndata: ${script.lines[next]}\n\n`);
        next += 1;
        setTimeout(send, script.intervalMs ?? 0);
        return;
      }
      res.end(script.error ? `event: error\ndata: ${script.error}\n\n` : 'data: [DONE]\n\n');
    };
    send();
  }

  private async validate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = bearerKey(req);
    this.lookups.push(key);
    switch (this.validateMode) {
      case 'hang':
        return neverAnswer(req, res);
      case 'error':
        return sendJson(res, 500, { error: 'internal error' });
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Maintenance</body></html>');
        return;
      case 'ok': {
        const account = this.accounts.get(key);
        if (!account) return sendJson(res, 401, { error: 'invalid api key' });
        return sendJson(res, 200, { data: { principal_id: account.principalId, email: account.email } });
      }
    }
  }

  private cliConfig(res: ServerResponse): void {
    if (!this.oauth) return sendJson(res, 404, { error: 'not found' });
    sendJson(res, 200, {
      client_id: 'arcade-cli',
      authorization_endpoint: this.authorizationEndpoint ?? `${this.url}/oauth/authorize`,
      token_endpoint: `${this.url}/oauth/token`,
    });
  }

  private async whoami(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.whoamiRequests += 1;
    if (this.whoamiDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.whoamiDelayMs));
    const user = this.accessTokens.get(bearerKey(req));
    if (!this.oauth || !user) return sendJson(res, 401, { error: 'unauthorized' });
    sendJson(res, 200, {
      data: { account_id: user.accountId, email: user.email, organizations: user.organizations, projects: user.projects },
    });
  }

  /**
   * The authorization page, as if the user logged in at once: checks the request as a Coordinator
   * would (the CLI's client, S256 PKCE, a state), then sends the browser back to `redirect_uri`
   * with a one-time code bound to that redirect and challenge (or with `oauthError`).
   */
  private authorizePage(url: URL, res: ServerResponse): void {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri');
    const user = this.oauthLoginUser;
    if (
      !this.oauth ||
      !user ||
      !redirectUri ||
      query.get('response_type') !== 'code' ||
      query.get('client_id') !== 'arcade-cli' ||
      query.get('code_challenge_method') !== 'S256' ||
      !query.get('code_challenge') ||
      !query.get('state') ||
      query.get('scope') !== 'openid offline_access'
    )
      return sendJson(res, 400, { error: 'invalid_request' });
    const target = new URL(redirectUri);
    target.searchParams.set('state', this.forgeState ? 'forged-state' : query.get('state')!);
    if (this.oauthError !== null) {
      target.searchParams.set('error', this.oauthError);
      target.searchParams.set(
        'error_description',
        `The login was ${this.oauthError === 'access_denied' ? 'declined' : 'refused'}.`,
      );
    } else {
      const code = `code_${this.codes.size + 1}_${Math.random().toString(36).slice(2)}`;
      this.codes.set(code, { user, redirectUri, challenge: query.get('code_challenge')! });
      target.searchParams.set('code', code);
    }
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private organizations(req: IncomingMessage, res: ServerResponse): void {
    const user = this.accessTokens.get(bearerKey(req));
    if (!this.oauth || !user) return sendJson(res, 401, { error: 'unauthorized' });
    sendJson(res, 200, { data: { items: user.organizations } });
  }

  private projects(req: IncomingMessage, orgId: string, res: ServerResponse): void {
    const user = this.accessTokens.get(bearerKey(req));
    if (!this.oauth || !user) return sendJson(res, 401, { error: 'unauthorized' });
    if (!user.organizations.some((org) => org.org_id === orgId)) return sendJson(res, 404, { error: 'not found' });
    sendJson(res, 200, { data: { items: this.projectsByOrg.get(orgId) ?? user.projects } });
  }

  /**
   * The token endpoint: an `authorization_code` grant checks the code (once), its redirect URI and
   * the PKCE verifier; a `refresh_token` grant takes each refresh token once (rotation).
   */
  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const refreshToken = form.get('refresh_token');
    this.tokenRequests.push({ grantType: form.get('grant_type'), refreshToken });
    if (this.tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
    if (this.oauth && form.get('grant_type') === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !code ||
        form.get('client_id') !== 'arcade-cli' ||
        form.get('redirect_uri') !== code.redirectUri ||
        challenge !== code.challenge
      )
        return sendJson(res, 400, { error: 'invalid_grant' });
      const tokens = this.issueTokens(code.user);
      return sendJson(res, 200, {
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        expires_in: this.expiresInSeconds,
        token_type: 'Bearer',
        id_token: 'header.payload.signature-this-CLI-never-reads',
      });
    }
    const user = refreshToken === null ? undefined : this.refreshTokens.get(refreshToken);
    if (!this.oauth || form.get('grant_type') !== 'refresh_token' || form.get('client_id') !== 'arcade-cli' || !user)
      return sendJson(res, 400, { error: 'invalid_grant' });
    this.refreshTokens.delete(refreshToken!);
    const tokens = this.issueTokens(user);
    sendJson(res, 200, {
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expires_in: this.expiresInSeconds,
      token_type: 'Bearer',
    });
  }

  private loginPage(url: URL, res: ServerResponse): void {
    const callback = url.searchParams.get('callback_uri');
    const account = this.loginAccount;
    if (!callback || !account) return sendJson(res, 400, { error: 'no callback_uri or no account to log in' });
    const target = new URL(callback);
    target.searchParams.set('state', this.forgeState ? 'forged-state' : (url.searchParams.get('state') ?? ''));
    target.searchParams.set('api_key', account.apiKey);
    target.searchParams.set('email', account.email);
    res.writeHead(302, { location: target.toString() });
    res.end();
  }
}
