import type { Agent } from 'node:http';
import { AppError, ours, text } from '../../domain/errors.js';

/** The variables that name a proxy, in the order the usual libraries read them (lower case first). */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'] as const;

/** The proxy a request goes through, as messages and `usage status` may show it. */
export interface ShownProxy {
  /** `http://proxy.corp:3128`: the proxy's origin, never its user or password. */
  readonly origin: string;
  /** The variable that named it, upper case: what to check when it fails. */
  readonly setting: 'HTTPS_PROXY' | 'HTTP_PROXY' | 'ALL_PROXY';
}

/** How one request reaches its URL: straight (Node's default agent), or through a proxy's tunnel. */
export type NetworkRoute =
  { readonly kind: 'direct' } | { readonly kind: 'proxy'; readonly proxy: ShownProxy; readonly agent: Agent };

const DIRECT: NetworkRoute = { kind: 'direct' };

/**
 * Whether any proxy variable is set. A run without one loads no proxy code at all: this is the
 * check every request makes first.
 */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
}

/** One agent per proxy and target protocol, for the life of the process. */
const agents = new Map<string, Agent>();

/**
 * The route to `url`, from the proxy variables (`HTTPS_PROXY` for https, `HTTP_PROXY` for http,
 * `ALL_PROXY` for either, `NO_PROXY` to bypass), as Python's HTTP libraries, curl and gh read them.
 * A proxy is reached with a CONNECT tunnel (for https, TLS runs end to end inside it, checked
 * against Node's trust store and `NODE_EXTRA_CA_CERTS`), its `user:password` sent as Basic proxy
 * authorization. A proxy variable that is not an http(s) URL is an AppError naming the variable,
 * never showing its value (it may hold a password).
 */
export async function routeTo(url: URL): Promise<NetworkRoute> {
  if (!proxyConfigured() || bypassedBySuffix(url)) return DIRECT;
  const { getProxyForUrl } = await import('proxy-from-env');
  let named = getProxyForUrl(url.href).trim();
  if (named === '') return DIRECT;
  const setting = settingFor(url);
  // A proxy named without a scheme (`proxy.corp:3128`) is an http proxy, as curl and Python's requests
  // take it; proxy-from-env would give it the request's scheme, and speak TLS to a plain proxy.
  if (!variable(setting).includes('://')) named = `http://${variable(setting)}`;
  const proxy = URL.canParse(named) ? new URL(named) : null;
  if (proxy === null || !['http:', 'https:'].includes(proxy.protocol) || proxy.hostname === '') {
    throw new AppError('invalid-url', text`${ours(setting)} is not an http(s) proxy URL, such as http://proxy.example.com:3128.`);
  }
  const key = `${url.protocol} ${proxy.href}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    const { HttpProxyAgent, HttpsProxyAgent } = await import('hpagent');
    agent = url.protocol === 'https:' ? new HttpsProxyAgent({ proxy }) : new HttpProxyAgent({ proxy });
    agents.set(key, agent);
  }
  return { kind: 'proxy', proxy: { origin: proxy.origin, setting }, agent };
}

/** The variable a proxy for `url` comes from, by its upper-case name. */
function settingFor(url: URL): ShownProxy['setting'] {
  const scheme = url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  return variable(scheme) !== '' ? scheme : 'ALL_PROXY';
}

/** A variable's value, the lower-case spelling first, as proxy-from-env reads it. */
function variable(name: string): string {
  return (process.env[name.toLowerCase()] || process.env[name] || '').trim();
}

/**
 * `NO_PROXY=example.com` also covers `api.example.com`, as curl, Python's requests and httpx read
 * it (proxy-from-env alone matches a bare name exactly, and suffixes only with a leading dot). An
 * entry's port, when it has one, must be the URL's.
 */
function bypassedBySuffix(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return variable('NO_PROXY')
    .toLowerCase()
    .split(/[,\s]+/)
    .some((entry) => {
      const [, name, entryPort] = /^([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::(\d+))?$/.exec(entry) ?? [];
      return name !== undefined && (entryPort === undefined || entryPort === port) && host.endsWith(`.${name}`);
    });
}
