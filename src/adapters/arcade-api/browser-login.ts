import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, systemWord, text, url } from '../../domain/errors.js';
import type {
  AuthorizationRequest,
  AuthorizationResult,
  BrowserLogin,
  CallbackAddress,
} from '../../domain/ports/browser-login.js';
import { openInBrowser } from '../process/open-browser.js';

/**
 * The port the Python Arcade CLI's callback server always listens on: a full `--callback-host` URL
 * without a port (a forwarded address such as a codespace's) was set up for it.
 */
const PYTHON_CALLBACK_PORT = 9905;

/** The callback URL for a server listening on `port`. */
function callbackUri(callback: CallbackAddress | undefined, port: number): string {
  if (callback === undefined) return `http://127.0.0.1:${port}/callback`;
  if (callback.port !== null || !callback.withServerPort) return `${callback.origin}${callback.path}`;
  return `${callback.origin}:${port}${callback.path}`;
}

/**
 * Arcade Cloud's CLI login: a one-shot HTTP server on 127.0.0.1 (never another interface) waits
 * for `GET /callback?state&api_key&email` from the browser, checks the random state, and answers
 * the browser with a page saying what happened.
 */
export class CloudBrowserLogin implements BrowserLogin {
  constructor(
    private readonly cloudUrl: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    const base = request.cloudUrl ?? this.cloudUrl;
    if (!URL.canParse('/api/v1/auth/cli_login', base))
      throw new AppError('invalid-url', text`The Arcade Cloud URL is not a valid URL: ${url(JSON.stringify(base))}.`);
    // Loaded here, not with the CLI: node:crypto and node:http cost every other command about 3.5 ms to load.
    const [{ randomBytes }, { createServer }] = await Promise.all([import('node:crypto'), import('node:http')]);
    const state = randomBytes(32).toString('hex');
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: AuthorizationResult) => {
        clearTimeout(timer);
        server.close();
        server.closeAllConnections();
        resolve(result);
      };
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        // The callback's own path, or `/callback` (a forwarder may strip the path it was given).
        if (req.method !== 'GET' || (url.pathname !== '/callback' && url.pathname !== request.callback?.path))
          return page(res, 404, 'Not found', 'This server only takes the Arcade login callback.');
        const apiKey = url.searchParams.get('api_key');
        const email = url.searchParams.get('email');
        if (url.searchParams.get('state') !== state) {
          page(res, 400, 'Login failed', 'This login link is not the one your terminal started. Run `arcade login` again.');
          return finish({ kind: 'state-mismatch' });
        }
        if (!apiKey) {
          page(res, 400, 'Login failed', 'Arcade Cloud sent no API key. Run `arcade login` again.');
          return finish({ kind: 'incomplete' });
        }
        page(res, 200, 'Logged in to Arcade', 'You can close this tab and return to your terminal.');
        finish({ kind: 'authorized', apiKey, email: email ?? '' });
      });
      // The port named in --callback-host may be taken: say so, as the machine's state, not a bug.
      server.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          new AppError(
            'network',
            text`Cannot listen for the login callback on 127.0.0.1 (${systemWord(error.code ?? 'error')}). Choose another port in --callback-host.`,
          ),
        ),
      );
      server.listen(
        request.callback?.port ?? (request.callback?.withServerPort === false ? PYTHON_CALLBACK_PORT : 0),
        '127.0.0.1',
        () => {
          const { port } = server.address() as AddressInfo;
          const callback = callbackUri(request.callback, port);
          const loginUrl = new URL('/api/v1/auth/cli_login', base);
          loginUrl.searchParams.set('callback_uri', callback);
          loginUrl.searchParams.set('state', state);
          timer = setTimeout(() => finish({ kind: 'timed-out' }), request.timeoutMs);
          request.onLoginUrl(loginUrl.toString());
          openInBrowser(loginUrl.toString(), this.env, request.onBrowserFailure);
        },
      );
    });
  }
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
  res.end(`<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${text}</p>\n`);
}
