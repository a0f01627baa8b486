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

/** An event in a test's failure message: its command (or event name) and when it arrived. */
function describe(event: CapturedEvent): string {
  const name = typeof event.properties.command_name === 'string' ? event.properties.command_name : event.event;
  return `${name} at ${new Date(event.receivedAt).toISOString().slice(11, 23)}`;
}

export interface CaptureRequest {
  readonly path: string;
  readonly receivedAt: number;
  readonly status: number;
  readonly eventCount: number;
  /** Why it was refused, when it was. */
  readonly error: string | null;
}

/**
 * How the server answers the next request. Nothing set: as PostHog does. Each field is one way an
 * HTTP server can misbehave; FAILURE_MODES names the ones delivery is tested against.
 */
export interface Behaviour {
  /** Refuse every valid request with this status. */
  readonly status?: number;
  /** With `status`: a `Retry-After` header of this many seconds. */
  readonly retryAfterS?: number;
  /** 413 for a request carrying more than this many events (0: every request). */
  readonly tooLargeAbove?: number;
  /** Answer only after this long. */
  readonly delayMs?: number;
  /** Read the request, never answer. */
  readonly hang?: boolean;
  /** Drop the connection before reading anything, as a PostHog that is down would. */
  readonly down?: boolean;
  /** Read the whole request, then drop the connection unanswered. */
  readonly closeAfterReading?: boolean;
  /** Never read the request, never answer. */
  readonly neverRead?: boolean;
  /** Answer 200 with an HTML page (a captive portal, a proxy's error page). */
  readonly html?: boolean;
  /** Answer 200 and promise a JSON body, send half of it, drop the connection. */
  readonly halfAnswer?: boolean;
  /** Answer 200 and send the body one byte every this many ms (it would take half a minute). */
  readonly trickleMs?: number;
  /** Answer 200 with an acknowledgement padded to this many bytes (counted as not received: no client should read it all). */
  readonly answerBytes?: number;
}

/** The misbehaviours delivery must survive: nothing lost, nothing doubled after a clear answer, no process past its hard limit. */
export const FAILURE_MODES = {
  'html-200': { html: true },
  '413-for-batches': { tooLargeAbove: 1 },
  '413-always': { tooLargeAbove: 0 },
  '429-retry-after': { status: 429, retryAfterS: 120 },
  '500-forever': { status: 500 },
  'close-before-reading': { down: true },
  'close-after-reading': { closeAfterReading: true },
  'half-an-answer': { halfAnswer: true },
  'never-answering': { hang: true },
  'never-reading': { neverRead: true },
  trickle: { trickleMs: 300 },
  'answer-after-4.9s': { delayMs: 4900 },
} as const satisfies Record<string, Behaviour>;

export type FailureMode = keyof typeof FAILURE_MODES;

/** PostHog's acknowledgement, padded for the trickle so it never ends within a client's timeout. */
const ACKNOWLEDGEMENT = JSON.stringify({ status: 1 });

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
      () => `${count} event(s) at the fake PostHog (got ${this.events.length}: ${this.events.map(describe).join(', ')})`,
    );
  }

  /** Requests that arrived, answered or not (a hanging one included). */
  arrived = 0;

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.arrived += 1;
    const behaviour = this.behaviour;
    if (behaviour.down) {
      req.socket.destroy();
      return;
    }
    if (behaviour.neverRead) return neverAnswer(req, res);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = await readBody(req);
    if (behaviour.closeAfterReading) {
      req.socket.destroy();
      return;
    }
    if (behaviour.hang) return neverAnswer(req, res);
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    const receivedAt = Date.now();
    const refuse = (status: number, error: string, headers: Record<string, string> = {}) => {
      this.requests.push({ path, receivedAt, status, eventCount: 0, error });
      this.onRejected?.(status, error);
      sendJson(res, status, { type: 'validation_error', code: 'invalid_payload', detail: error }, headers);
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
    if (behaviour.tooLargeAbove !== undefined && batch.length > behaviour.tooLargeAbove)
      return refuse(413, `told to refuse more than ${behaviour.tooLargeAbove} event(s) as too large`);
    if (behaviour.status && behaviour.status >= 300)
      return refuse(
        behaviour.status,
        `told to answer ${behaviour.status}`,
        behaviour.retryAfterS ? { 'retry-after': String(behaviour.retryAfterS) } : {},
      );
    if (behaviour.html || behaviour.halfAnswer || behaviour.answerBytes) {
      // Not an acknowledgement a client reads whole: the events count as not received.
      this.requests.push({
        path,
        receivedAt,
        status: 200,
        eventCount: 0,
        error: behaviour.html ? 'an HTML page' : behaviour.halfAnswer ? 'half an answer' : 'an oversized answer',
      });
      if (behaviour.answerBytes) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(ACKNOWLEDGEMENT.padEnd(behaviour.answerBytes));
      } else if (behaviour.html) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body><h1>Welcome to the hotel Wi-Fi</h1></body></html>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(ACKNOWLEDGEMENT.length * 2) });
        res.write(ACKNOWLEDGEMENT.slice(0, 6), () => req.socket.destroy());
      }
      return;
    }
    const requestIndex = this.requests.length;
    this.requests.push({ path, receivedAt, status: 200, eventCount: batch.length, error: null });
    // The events count as received once the whole acknowledgement went out.
    res.once('finish', () => this.record(batch as Record<string, unknown>[], requestIndex, receivedAt));
    if (behaviour.trickleMs) return trickle(res, ACKNOWLEDGEMENT.padEnd(100), behaviour.trickleMs);
    sendJson(res, 200, { status: 1 });
  }

  private record(batch: readonly Record<string, unknown>[], requestIndex: number, receivedAt: number): void {
    for (const raw of batch) {
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
  }
}

/** Sends a 200 with `body` one byte every `intervalMs`, until it is all out or the client gives up. */
function trickle(res: ServerResponse, body: string, intervalMs: number): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    sent += 1;
    if (sent < body.length) res.write(body.slice(sent - 1, sent));
    else {
      clearInterval(timer);
      res.end(body.slice(sent - 1));
    }
  }, intervalMs);
  res.once('close', () => clearInterval(timer));
}
