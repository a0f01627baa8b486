import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, systemWord, text, url } from '../../domain/errors.js';
import type {
  AuthorizationRequest,
  AuthorizationResult,
  BrowserLogin,
  CallbackAddress,
  OAuthAuthorizationRequest,
  OAuthAuthorizationResult,
} from '../../domain/ports/browser-login.js';
import { openInBrowser } from '../process/open-browser.js';
import { loginPage } from './login-pages.js';

/**
 * The port the Python Arcade CLI's callback server listens on: the redirect URI the Coordinator
 * knows for the CLI (`http://127.0.0.1:9905/callback`), and the one a full `--callback-host` URL
 * without a port (a forwarded address such as a codespace's) was set up for.
 */
const PYTHON_CALLBACK_PORT = 9905;

/** The callback URL for a server listening on `port`. */
function callbackUri(callback: CallbackAddress | undefined, port: number): string {
  if (callback === undefined) return `http://127.0.0.1:${port}/callback`;
  if (callback.port !== null || !callback.withServerPort) return `${callback.origin}${callback.path}`;
  return `${callback.origin}:${port}${callback.path}`;
}

/** What one callback request comes to: the page the browser gets, and the login's result (none: keep waiting). */
interface Answer<R> {
  readonly status: number;
  readonly page: Parameters<typeof loginPage>[0];
  readonly result?: R;
}

/**
 * A one-shot HTTP server on 127.0.0.1 (never another interface) that waits for the browser's
 * callback: it answers only `GET` of the callback path with a `Host` it listens as (its own
 * address, or the `--callback-host` a forwarder passes on), so a page in the browser that points
 * another name at 127.0.0.1 (DNS rebinding) gets nothing. Resolves with the first callback's
 * result, or `timed-out`.
 */
async function awaitCallback<R>(
  request: AuthorizationRequest & { readonly env: Readonly<Record<string, string | undefined>> },
  defaultPort: number,
  loginUrl: (redirectUri: string) => Promise<string>,
  handle: (callback: URL) => Promise<Answer<R>>,
): Promise<R | { readonly kind: 'timed-out' }> {
  const { createServer } = await import('node:http');
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (result: R | { readonly kind: 'timed-out' }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
      resolve(result);
    };
    const respond = (res: ServerResponse, answer: Answer<R>) => {
      res.writeHead(answer.status, {
        'content-type': 'text/html; charset=utf-8',
        connection: 'close',
        'cache-control': 'no-store',
      });
      res.end(loginPage(answer.page));
    };
    let hosts = new Set<string>();
    const server = createServer((req: IncomingMessage, res) => {
      const callback = new URL(req.url ?? '/', 'http://127.0.0.1');
      const host = (req.headers.host ?? '').toLowerCase();
      // The callback's own path, or `/callback` (a forwarder may strip the path it was given).
      if (
        req.method !== 'GET' ||
        !hosts.has(host) ||
        (callback.pathname !== '/callback' && callback.pathname !== request.callback?.path)
      )
        return respond(res, { status: 404, page: { kind: 'not-found' } });
      if (done)
        return respond(res, {
          status: 409,
          page: { kind: 'failed', reason: 'This login has already ended. Run `arcade login` again.' },
        });
      handle(callback).then(
        (answer) => {
          respond(res, answer);
          if (answer.result !== undefined) finish(answer.result);
        },
        (error: unknown) => {
          respond(res, {
            status: 500,
            page: { kind: 'failed', reason: 'The login could not be completed. Your terminal says why.' },
          });
          done = true;
          clearTimeout(timer);
          server.close();
          server.closeAllConnections();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    // The port may be taken: say so, as the machine's state, not a bug.
    server.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AppError(
          'network',
          text`Cannot listen for the login callback on 127.0.0.1 (${systemWord(error.code ?? 'error')}). Another login may be waiting, or choose another port in --callback-host.`,
        ),
      ),
    );
    server.listen(request.callback?.port ?? defaultPort, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const redirectUri = callbackUri(request.callback, port);
      hosts = new Set([`127.0.0.1:${port}`, new URL(redirectUri).host.toLowerCase()]);
      loginUrl(redirectUri).then((target) => {
        timer = setTimeout(() => finish({ kind: 'timed-out' }), request.timeoutMs);
        request.onLoginUrl(target);
        openInBrowser(target, request.env, request.onBrowserFailure);
      }, reject);
    });
  });
}

/**
 * Arcade Cloud's browser logins: today's OAuth 2.0 authorization code with PKCE (oauth-protocol.ts),
 * and the seed's API-key flow for a Cloud without OAuth (`cli_login`, the key in the callback).
 */
export class CloudBrowserLogin implements BrowserLogin {
  constructor(
    private readonly cloudUrl: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  async authorizeOAuth(request: OAuthAuthorizationRequest): Promise<OAuthAuthorizationResult> {
    const { startAuthorization, tokenRequests } = await import('./oauth-protocol.js');
    let authorization: Awaited<ReturnType<typeof startAuthorization>> | undefined;
    let redirect = '';
    return awaitCallback<OAuthAuthorizationResult>(
      { ...request, env: this.env },
      PYTHON_CALLBACK_PORT,
      async (redirectUri) => {
        redirect = redirectUri;
        authorization = await startAuthorization(request.coordinatorUrl, request.config, redirectUri);
        return authorization.url;
      },
      async (callback) => {
        const checked = authorization!.check(callback);
        if (checked.kind === 'state-mismatch')
          return {
            status: 400,
            page: { kind: 'failed', reason: 'This login link is not the one your terminal started. Run `arcade login` again.' },
            result: checked,
          };
        if (checked.kind === 'denied')
          return { status: 400, page: { kind: 'failed', reason: checked.description ?? checked.error }, result: checked };
        const tokens = await (
          await tokenRequests(request.coordinatorUrl, request.config)
        ).exchange(checked.params, redirect, authorization!.codeVerifier);
        return { status: 200, page: { kind: 'logged-in' }, result: { kind: 'authorized', tokens } };
      },
    );
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    const base = request.cloudUrl ?? this.cloudUrl;
    if (!URL.canParse('/api/v1/auth/cli_login', base))
      throw new AppError('invalid-url', text`The Arcade Cloud URL is not a valid URL: ${url(JSON.stringify(base))}.`);
    // Loaded here, not with the CLI: node:crypto costs every other command time to load.
    const { randomBytes } = await import('node:crypto');
    const state = randomBytes(32).toString('hex');
    return awaitCallback<AuthorizationResult>(
      { ...request, env: this.env },
      request.callback?.withServerPort === false ? PYTHON_CALLBACK_PORT : 0,
      async (redirectUri) => {
        const loginUrl = new URL('/api/v1/auth/cli_login', base);
        loginUrl.searchParams.set('callback_uri', redirectUri);
        loginUrl.searchParams.set('state', state);
        return loginUrl.toString();
      },
      async (callback) => {
        const apiKey = callback.searchParams.get('api_key');
        const email = callback.searchParams.get('email');
        if (callback.searchParams.get('state') !== state)
          return {
            status: 400,
            page: { kind: 'failed', reason: 'This login link is not the one your terminal started. Run `arcade login` again.' },
            result: { kind: 'state-mismatch' },
          };
        if (!apiKey)
          return {
            status: 400,
            page: { kind: 'failed', reason: 'Arcade Cloud sent no API key. Run `arcade login` again.' },
            result: { kind: 'incomplete' },
          };
        return { status: 200, page: { kind: 'logged-in' }, result: { kind: 'authorized', apiKey, email: email ?? '' } };
      },
    );
  }
}
