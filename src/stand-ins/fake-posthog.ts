import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, neverAnswer, pollUntil, readBody, sendJson } from './http-helpers.js';

/** An event as PostHog's capture API received it. */
export interface CapturedEvent {
  readonly event: string;
  readonly distinct_id: string;
  readonly uuid: string;
  readonly timestamp: string;
  readonly properties: Record<string, unknown>;
  /** The event exactly as it arrived in the batch (every field the client sent). */
  readonly raw: Record<string, unknown>;
  /** Set by this server: which request carried it (0-based) and when it arrived. */
  readonly requestIndex: number;
  readonly receivedAt: number;
}

export interface CaptureRequest {
  readonly path: string;
  readonly receivedAt: number;
  readonly status: number;
  readonly eventCount: number;
  /** Why it was refused, when it was. */
  readonly error: string | null;
}

/** How the server answers the next request: a status, optionally after a delay. `hang`: never answer. `down`: drop the connection unanswered, as a PostHog that is down would. */
export interface Behaviour {
  readonly status?: number;
  readonly delayMs?: number;
  readonly hang?: boolean;
  readonly down?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates one event the way PostHog's capture endpoint does: a non-empty event name and
 * distinct_id (PostHog rejects events without one), a valid uuid when present, a parseable
 * timestamp when present, properties an object. Returns the problem, or null.
 */
export function validateEvent(event: unknown): string | null {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'event is not an object';
  const e = event as Record<string, unknown>;
  if (typeof e.event !== 'string' || e.event === '') return 'missing event name';
  const distinctId = e.distinct_id ?? (e.properties as Record<string, unknown> | undefined)?.distinct_id;
  if ((typeof distinctId !== 'string' || distinctId.trim() === '') && typeof distinctId !== 'number')
    return 'missing distinct_id';
  if (e.uuid !== undefined && (typeof e.uuid !== 'string' || !UUID.test(e.uuid))) return 'invalid uuid';
  if (e.timestamp !== undefined && (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp))))
    return 'invalid timestamp';
  if (e.properties !== undefined && (typeof e.properties !== 'object' || e.properties === null || Array.isArray(e.properties)))
    return 'properties is not an object';
  return null;
}

/**
 * A local stand-in for PostHog's capture API: `/batch/`, `/capture/`, `/e/` (posthog-node's gzip
 * too). It records what it accepts and can be told to fail, stall or hang.
 */
export class FakePosthog {
  readonly events: CapturedEvent[] = [];
  readonly requests: CaptureRequest[] = [];
  behaviour: Behaviour = {};
  /** Called with each accepted event (the sink prints them). */
  onEvent: ((event: CapturedEvent) => void) | null = null;
  /** Called for each refused request. */
  onRejected: ((status: number, reason: string) => void) | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(port = 0): Promise<FakePosthog> {
    let instance: FakePosthog | undefined;
    const { server, url } = await listenOnLoopback((req, res) => void instance!.handle(req, res), port);
    instance = new FakePosthog(server, url);
    return instance;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  /** Resolves once `count` events have arrived (polling), with all events so far. */
  waitForEvents(count: number, timeoutMs = 10_000): Promise<CapturedEvent[]> {
    return pollUntil(
      () => (this.events.length >= count ? [...this.events] : undefined),
      timeoutMs,
      `${count} event(s) at the fake PostHog (got ${this.events.length})`,
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.behaviour.down) {
      req.socket.destroy();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = await readBody(req);
    const behaviour = this.behaviour;
    if (behaviour.hang) return neverAnswer(req, res);
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    const receivedAt = Date.now();
    const refuse = (status: number, error: string) => {
      this.requests.push({ path, receivedAt, status, eventCount: 0, error });
      this.onRejected?.(status, error);
      sendJson(res, status, { type: 'validation_error', code: 'invalid_payload', detail: error });
    };
    if (req.method !== 'POST' || !['/batch/', '/capture/', '/e/', '/i/v0/e/', '/batch', '/capture', '/e'].includes(path))
      return refuse(404, 'not a capture endpoint');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return refuse(400, 'body is not JSON');
    }
    const batch = Array.isArray(payload.batch) ? payload.batch : Array.isArray(payload) ? payload : [payload];
    const apiKey = payload.api_key ?? (batch[0] as Record<string, unknown> | undefined)?.api_key;
    if (typeof apiKey !== 'string' || apiKey === '') return refuse(401, 'missing api_key');
    if (batch.length === 0) return refuse(400, 'empty batch');
    const problems = batch.map(validateEvent).filter((problem) => problem !== null);
    if (problems.length > 0) return refuse(400, problems[0]);
    if (behaviour.status && behaviour.status >= 300) return refuse(behaviour.status, `told to answer ${behaviour.status}`);
    const requestIndex = this.requests.length;
    this.requests.push({ path, receivedAt, status: 200, eventCount: batch.length, error: null });
    for (const raw of batch as Record<string, unknown>[]) {
      const event: CapturedEvent = {
        event: raw.event as string,
        distinct_id: String(raw.distinct_id ?? (raw.properties as Record<string, unknown>).distinct_id),
        uuid: raw.uuid as string,
        timestamp: raw.timestamp as string,
        properties: (raw.properties ?? {}) as Record<string, unknown>,
        raw,
        requestIndex,
        receivedAt,
      };
      this.events.push(event);
      this.onEvent?.(event);
    }
    sendJson(res, 200, { status: 1 });
  }
}
