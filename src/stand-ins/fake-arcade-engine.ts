import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { bearerKey, closeServer, listenOnLoopback, readBody, sendJson } from './http-helpers.js';

export interface FakeWorker {
  id: string;
  enabled: boolean;
  uri: string | null;
  /** Tool names as `Toolkit.tool`. */
  tools: string[];
}

/**
 * A local stand-in for Arcade Engine's worker API. It serves at most `pageSize` items per page
 * (whatever the client asks for), as a real paginated API may, and wants a known Bearer key.
 */
export class FakeArcadeEngine {
  readonly workers: FakeWorker[] = [];
  readonly apiKeys = new Set<string>();
  pageSize = 2;
  readonly requests: string[] = [];
  /** Answer every request only after this long (a real Engine across a network). */
  delayMs = 0;
  /** When set, every request is answered with this redirect (status and Location), as a captive portal or a misconfigured proxy would. */
  redirect: { status: number; location: string } | null = null;
  /** Answer this many of the next requests with 503 (a passing failure), then serve again. */
  unavailableFor = 0;
  /** The most tools requests that were being answered at once. */
  peakToolsInFlight = 0;
  private toolsInFlight = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeArcadeEngine> {
    let instance: FakeArcadeEngine | undefined;
    const { server, url } = await listenOnLoopback((req, res) => void instance!.handle(req, res));
    instance = new FakeArcadeEngine(server, url);
    return instance;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private page(items: unknown[], url: URL): Record<string, unknown> {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? this.pageSize), this.pageSize);
    return { items: items.slice(offset, offset + limit), total_count: items.length, offset, limit };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const body = await readBody(req);
    const tools = url.pathname.endsWith('/tools');
    if (tools) this.peakToolsInFlight = Math.max(this.peakToolsInFlight, ++this.toolsInFlight);
    try {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    } finally {
      if (tools) this.toolsInFlight -= 1;
    }
    if (this.redirect) {
      res.writeHead(this.redirect.status, { location: this.redirect.location });
      res.end();
      return;
    }
    if (this.unavailableFor > 0) {
      this.unavailableFor -= 1;
      return sendJson(res, 503, { error: 'unavailable' });
    }
    if (!this.apiKeys.has(bearerKey(req))) return sendJson(res, 401, { error: 'unauthorized' });
    const match = /^\/v1\/workers(?:\/([^/]+))?(\/tools)?$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { error: 'not found' });
    const [, rawId] = match;
    if (!rawId) {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
      return sendJson(
        res,
        200,
        this.page(
          this.workers.map((w) => ({
            id: w.id,
            enabled: w.enabled,
            type: 'http',
            http: w.uri ? { uri: w.uri, timeout: 30 } : undefined,
          })),
          url,
        ),
      );
    }
    const id = decodeURIComponent(rawId);
    const worker = this.workers.find((w) => w.id === id);
    if (!worker) return sendJson(res, 404, { error: `worker ${id} not found` });
    if (tools && req.method === 'GET') {
      return sendJson(
        res,
        200,
        this.page(
          worker.tools.map((name) => ({ name, toolkit: { name: name.split('.')[0] } })),
          url,
        ),
      );
    }
    if (req.method === 'PATCH') {
      worker.enabled = (JSON.parse(body) as { enabled: boolean }).enabled;
      return sendJson(res, 200, { id: worker.id, enabled: worker.enabled });
    }
    if (req.method === 'DELETE') {
      this.workers.splice(this.workers.indexOf(worker), 1);
      res.writeHead(204);
      res.end();
      return;
    }
    sendJson(res, 405, { error: 'method not allowed' });
  }
}
