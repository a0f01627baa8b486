import { Command, Option, UsageError } from 'clipanion';
import type { CallbackAddress } from '../../domain/ports/browser-login.js';
import { checkedUrl } from '../config.js';
import type { LoginOutcome } from '../../application/login.js';
import type { ArcadeContext } from '../../domain/principal.js';
import { withoutUserinfo } from '../../domain/errors.js';
import { printable, startSpinner, type Spinner } from '../terminal.js';
import { TrackedCommand } from '../tracked-command.js';

const DEFAULT_TIMEOUT_SECONDS = 300;
const MAX_TIMEOUT_SECONDS = 86_400;

export class LoginCommand extends TrackedCommand {
  static override paths = [['login']];
  static override readonly changesCredentials = true;
  static override usage = Command.Usage({
    description: 'Log in to Arcade Cloud through your browser',
    details: `
      Opens Arcade's login page (with \`BROWSER\`, or the platform's opener) and waits for it to call
      back a one-shot server on 127.0.0.1 (port 9905): OAuth 2.0 with PKCE, as the Python Arcade CLI
      logs in. The tokens, your email and your active organization and project are saved to
      \`.arcade/credentials.yaml\` (readable by you only). A Cloud without OAuth gets the older
      API-key login. Already logged in: says as whom and changes nothing.

      Without a browser (CI, SSH, a container): \`--with-api-key\` reads an API key from stdin, or set
      \`ARCADE_API_KEY\`.
    `,
    examples: [
      ['Log in', '$0 login'],
      ['Log in with an API key from a file', '$0 login --with-api-key < key.txt'],
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
  timeout = Option.String('--timeout', {
    description: `Seconds to wait for the browser (default: ARCADE_LOGIN_TIMEOUT_SECONDS, else ${DEFAULT_TIMEOUT_SECONDS})`,
  });
  withApiKey = Option.Boolean('--with-api-key', false, {
    description: 'Read an API key from stdin instead of opening a browser',
  });

  protected async run(): Promise<number> {
    const { stdout, stderr, env } = this.context;
    // --host (and --port) when given, else ARCADE_CLOUD_URL: either way a URL, or a usage error naming it.
    const cloudUrl = cloudUrlFrom(this.host, this.port) ?? checkedUrl(this.context.cloudUrl, 'ARCADE_CLOUD_URL');
    if (this.withApiKey) {
      const apiKey = await readApiKey(this.context.stdin);
      const outcome = await this.context.app.login.withApiKey(apiKey, cloudUrl);
      stdout.write(said(outcome));
      return 0;
    }
    const [timeoutSeconds, timeoutSetting] =
      this.timeout !== undefined
        ? [this.timeout, '--timeout']
        : env.ARCADE_LOGIN_TIMEOUT_SECONDS?.trim()
          ? [env.ARCADE_LOGIN_TIMEOUT_SECONDS.trim(), 'ARCADE_LOGIN_TIMEOUT_SECONDS']
          : [String(DEFAULT_TIMEOUT_SECONDS), '--timeout'];
    const seconds = Number(timeoutSeconds);
    // Bounded: a day is more than any login needs, and Node's timers overflow past 24.8 days.
    if (!/^\d+$/.test(timeoutSeconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS)
      throw new UsageError(`${timeoutSetting} must be 1 to ${MAX_TIMEOUT_SECONDS} seconds, not "${timeoutSeconds}".`);
    let waiting: Spinner = { stop: () => undefined };
    const outcome = await this.context.app.login
      .execute({
        timeoutMs: seconds * 1000,
        cloudUrl,
        callback: this.callbackHost === undefined ? undefined : callbackAddress(this.callbackHost),
        // Progress, on stderr: stdout carries only the result.
        onApiKeyLogin: () => stderr.write('This Arcade Cloud has no OAuth login; logging in with an API key instead.\n'),
        onLoginUrl: (url) => {
          stderr.write(
            `Opening your browser to log in. If it does not open, visit:\n\n  ${printable(withoutUserinfo(url))}\n\nWaiting for the login to finish (up to ${seconds} s)...\n`,
          );
          waiting = startSpinner(stderr, env, 'Waiting for the browser');
        },
        onBrowserFailure: (reason) => {
          waiting.stop();
          stderr.write(`Could not open a browser (${printable(reason)}). Open the URL above by hand; still waiting...\n`);
          waiting = startSpinner(stderr, env, 'Waiting for the browser');
        },
      })
      .finally(() => waiting.stop());
    stdout.write(said(outcome));
    return 0;
  }
}

/** What a login says on stdout. */
function said(outcome: LoginOutcome): string {
  const active = (context: ArcadeContext | null) =>
    context ? `Active organization: ${printable(context.orgName)}, project: ${printable(context.projectName)}.\n` : '';
  switch (outcome.kind) {
    case 'already-logged-in':
      return `Already logged in as ${printable(outcome.email)}. Run \`arcade logout\` first to switch accounts.\n${active(outcome.context)}`;
    case 'logged-in':
      return `Logged in as ${printable(outcome.email)}.\n${active(outcome.context)}`;
    case 'logged-in-with-key':
      return outcome.email === null
        ? `Logged in with API key ${outcome.maskedKey}.\n`
        : `Logged in as ${printable(outcome.email)} (API key ${outcome.maskedKey}).\n`;
  }
}

/** The API key on stdin (never the command line, where other users and shell history see it): one line, trimmed. */
async function readApiKey(stdin: NodeJS.ReadableStream): Promise<string> {
  if ((stdin as { isTTY?: boolean }).isTTY)
    throw new UsageError('--with-api-key reads the key from stdin: pipe it in (`arcade login --with-api-key < key.txt`).');
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.length > 4096) throw new UsageError('--with-api-key: stdin holds more than an API key.');
  }
  const key = text.trim();
  if (key === '' || /\s/.test(key)) throw new UsageError('--with-api-key: stdin must hold one API key, on one line.');
  return key;
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
