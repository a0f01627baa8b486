import { Command, Option, UsageError } from 'clipanion';
import type { CallbackAddress } from '../../domain/ports/browser-login.js';
import { checkedUrl } from '../config.js';
import { startSpinner, type Spinner } from '../terminal.js';
import { TrackedCommand } from '../tracked-command.js';

const DEFAULT_TIMEOUT_SECONDS = 300;
const MAX_TIMEOUT_SECONDS = 86_400;

export class LoginCommand extends TrackedCommand {
  static override paths = [['login']];
  static override readonly changesCredentials = true;
  static override usage = Command.Usage({
    description: 'Log in to Arcade Cloud through your browser',
    details: `
      Opens Arcade Cloud's login page (with \`BROWSER\`, or the platform's opener) and waits for it to
      call back a one-shot server on 127.0.0.1. The API key is saved to \`.arcade/credentials.yaml\`
      (readable by you only). Already logged in: says as whom and changes nothing.
    `,
    examples: [
      ['Log in', '$0 login'],
      [
        'From a remote development environment whose port 9999 is forwarded',
        '$0 login --callback-host https://my-space.example.dev:9999',
      ],
    ],
  });

  host = Option.String('--host', { description: 'Arcade Cloud host to log in to (default: ARCADE_CLOUD_URL)' });
  port = Option.String('--port', { description: 'Port of that host' });
  callbackHost = Option.String('--callback-host', {
    description: 'Where the browser comes back: a host, host:port or http(s) URL (the server listens on 127.0.0.1 only)',
  });
  timeout = Option.String('--timeout', { description: `Seconds to wait for the browser (default ${DEFAULT_TIMEOUT_SECONDS})` });

  protected async run(): Promise<number> {
    const timeoutSeconds = this.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(this.timeout);
    // Bounded: a day is more than any login needs, and Node's timers overflow past 24.8 days.
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)
      throw new UsageError(`--timeout must be 1 to ${MAX_TIMEOUT_SECONDS} seconds, not "${this.timeout}".`);
    const { stdout, stderr, env } = this.context;
    let waiting: Spinner = { stop: () => undefined };
    const outcome = await this.context.app.login
      .execute({
        timeoutMs: timeoutSeconds * 1000,
        // --host (and --port) when given, else ARCADE_CLOUD_URL: either way a URL, or a usage error naming it.
        cloudUrl: cloudUrlFrom(this.host, this.port) ?? checkedUrl(this.context.cloudUrl, 'ARCADE_CLOUD_URL'),
        callback: this.callbackHost === undefined ? undefined : callbackAddress(this.callbackHost),
        // Progress, on stderr: stdout carries only the result.
        onLoginUrl: (url) => {
          stderr.write(
            `Opening your browser to log in. If it does not open, visit:\n\n  ${url}\n\nWaiting for the login to finish (up to ${timeoutSeconds} s)...\n`,
          );
          waiting = startSpinner(stderr, env, 'Waiting for the browser');
        },
        onBrowserFailure: (reason) => {
          waiting.stop();
          stderr.write(`Could not open a browser (${reason}). Open the URL above by hand; still waiting...\n`);
          waiting = startSpinner(stderr, env, 'Waiting for the browser');
        },
      })
      .finally(() => waiting.stop());
    if (outcome.kind === 'already-logged-in') {
      stdout.write(`Already logged in as ${outcome.email}. Run \`arcade logout\` first to switch accounts.\n`);
    } else {
      stdout.write(`Logged in as ${outcome.email} (API key ${outcome.maskedKey}).\n`);
    }
    return 0;
  }
}

/** `--host` (with or without a scheme; plain http for loopback hosts) and `--port` to a base URL, or undefined for the configured one. */
export function cloudUrlFrom(host: string | undefined, port: string | undefined): string | undefined {
  if (host === undefined && port === undefined) return undefined;
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new UsageError(`--port must be a port number, not "${port}".`);
  if (host === undefined) throw new UsageError('--port needs --host.');
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
  let url: URL;
  try {
    url = new URL(host.includes('://') ? host : `${loopback ? 'http' : 'https'}://${host}`);
  } catch {
    throw new UsageError(`--host is not a host name or URL: "${host}".`);
  }
  if (port !== undefined) url.port = port;
  return url.origin;
}

/**
 * `--callback-host`, as the Python Arcade CLI takes it: a host, `host:port`, or a full http(s) URL
 * (a remote development environment's forwarded address); `/callback` is appended unless the path
 * ends with it. A port named there is the port the local server listens on. Anything else (spaces,
 * a query, a fragment, user info) is a usage error.
 */
export function callbackAddress(value: string): CallbackAddress {
  const withScheme = /^https?:\/\//i.test(value);
  // Another scheme (`ftp://`) would otherwise read as a host named `ftp`.
  const url =
    (!withScheme && value.includes('://')) || /[\s?#@\\]/.test(value) || !URL.canParse(withScheme ? value : `http://${value}`)
      ? null
      : new URL(withScheme ? value : `http://${value}`);
  if (url === null || url.hostname === '' || !['http:', 'https:'].includes(url.protocol))
    throw new UsageError(`--callback-host must be a host, host:port or http(s) URL, not "${value}".`);
  const path = url.pathname.replace(/\/+$/, '');
  return {
    origin: `${url.protocol}//${url.host}`,
    port: url.port === '' ? null : Number(url.port),
    withServerPort: !withScheme,
    path: path.endsWith('/callback') ? path : `${path}/callback`,
  };
}
