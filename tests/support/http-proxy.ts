/**
 * A real HTTP proxy server (the `proxy` package, which proxy-agent's own tests use) on 127.0.0.1,
 * with a log of what it was asked to reach. It plays DNS for the stand-ins: a host named
 * `<name>.invalid` (a name that never resolves, RFC 6761) is reached at 127.0.0.1, so a stand-in
 * named that way can be reached through this proxy and in no other way.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';
import { closeServer } from '../../src/stand-ins/http-helpers.js';

export interface ProxyRequest {
  /** `CONNECT` (a tunnel) or the method of an absolute-form request. */
  readonly method: string;
  /** `host:port` of a tunnel, or the absolute URL of a request, as the client named it. */
  readonly target: string;
  /** The decoded `user:password` of the client's Proxy-Authorization, or null. */
  readonly credentials: string | null;
}

export class TestProxy {
  readonly requests: ProxyRequest[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts the proxy; with `credentials` (`user:password`) it answers 407 to any request without them. */
  static async start(options: { credentials?: string; port?: number } = {}): Promise<TestProxy> {
    const server = createProxy(createServer());
    const expected = options.credentials;
    if (expected !== undefined) server.authenticate = (req) => decodeCredentials(req) === expected;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const proxy = new TestProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    // Before the proxy's own listeners: log the request, then point `*.invalid` at loopback.
    server.prependListener('connect', (req: IncomingMessage) => {
      proxy.requests.push({ method: 'CONNECT', target: req.url ?? '', credentials: decodeCredentials(req) });
      req.url = (req.url ?? '').replace(/^[a-z0-9.-]+\.invalid:/, '127.0.0.1:');
    });
    server.prependListener('request', (req: IncomingMessage) => {
      proxy.requests.push({ method: req.method ?? '', target: req.url ?? '', credentials: decodeCredentials(req) });
      req.url = (req.url ?? '').replace(/^(https?:\/\/)[a-z0-9.-]+\.invalid:/, '$1127.0.0.1:');
    });
    return proxy;
  }

  /** The `host:port` (or URLs) it was asked for, in order. */
  targets(): string[] {
    return this.requests.map((request) => request.target);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}

function decodeCredentials(req: IncomingMessage): string | null {
  const basic = /^Basic (.+)$/.exec(req.headers['proxy-authorization'] ?? '')?.[1];
  return basic === undefined ? null : Buffer.from(basic, 'base64').toString('utf8');
}

/** `http://127.0.0.1:PORT` as `http://<name>.invalid:PORT`: reachable only through TestProxy. */
export function onlyThroughProxy(url: string, name: string): string {
  return url.replace('127.0.0.1', `${name}.invalid`);
}
