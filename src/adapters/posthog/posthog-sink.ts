import { isRetryableStatus } from '../../domain/delivery-policy.js';
import { AppError } from '../../domain/errors.js';
import type { AnalyticsSink, SendResult, SinkRoute } from '../../domain/ports/analytics-sink.js';
import { proxyFailure } from '../http/network-failure.js';
import { routeTo } from '../http/proxy-route.js';
import { keyFingerprint } from '../system/key-fingerprint.js';
import type { OutboundMessage, WireMessage } from '../../domain/usage-event.js';

/**
 * PostHog through posthog-node, loaded only in the process that delivers. One client per batch,
 * no retries of its own (delivery retries across runs). A request counts as acknowledged only when
 * PostHog's JSON answer arrived whole (an HTML page with 200 from a proxy, or half an answer, is a
 * failure), and success only when every message was acknowledged; what was acknowledged before a
 * failure is reported, so it is never sent again. Compression is off and the request body is read
 * on its way out, so an acknowledged message comes back exactly as PostHog received it
 * (posthog-node's own properties too). Everything, the answer's body included, ends within
 * `timeoutMs`: nothing is left reading a trickle after it returns.
 */
export class PosthogSink implements AnalyticsSink {
  private fingerprint: string | null | undefined;

  constructor(
    private readonly host: string,
    private readonly projectKey: string | null,
  ) {}

  keyId(): string | null {
    // Computed when first asked (a run that never decides tracking never needs it).
    if (this.fingerprint === undefined) this.fingerprint = this.projectKey === null ? null : keyFingerprint(this.projectKey);
    return this.fingerprint;
  }

  async route(): Promise<SinkRoute> {
    try {
      const route = await routeTo(new URL(this.host));
      return route.kind === 'proxy' ? { kind: 'proxy', ...route.proxy } : route;
    } catch (error) {
      // A proxy variable that is not a URL: what every delivery will fail on, for `usage status` to say.
      if (error instanceof AppError) return { kind: 'invalid', reason: error.message };
      throw error;
    }
  }

  async send(messages: readonly OutboundMessage[], timeoutMs: number): Promise<SendResult> {
    if (messages.length === 0) return { kind: 'accepted', wire: [] };
    // A build with no key tracks nothing (the decision says so), so nothing is ever sent without one.
    if (this.projectKey === null) return { kind: 'key-refused', status: 401 };
    const projectKey = this.projectKey;
    const acknowledged: WireMessage[] = [];
    const abort = new AbortController();
    const timedOut = new Error(`no whole answer from PostHog within ${timeoutMs} ms`);
    const timer = setTimeout(() => abort.abort(timedOut), timeoutMs);
    let failure: Failure | undefined;
    try {
      // Both loaded only here, in the process that delivers: no command pays for loading them.
      const [{ PostHog }, { nodeHttpFetch }] = await Promise.all([import('posthog-node'), import('./node-http-fetch.js')]);
      const client = withoutGzipProbe(
        () =>
          new PostHog(projectKey, {
            host: this.host,
            flushAt: messages.length + 1,
            flushInterval: 0,
            maxBatchSize: messages.length,
            fetchRetryCount: 0,
            requestTimeout: timeoutMs,
            disableCompression: true,
            fetch: async (url, options) => {
              const signal = options.signal ? AbortSignal.any([abort.signal, options.signal]) : abort.signal;
              const response = await nodeHttpFetch(url, { ...options, signal });
              if (response.status < 200 || response.status >= 300) return response;
              if (!isAcknowledgement(await response.text())) {
                throw new Error(`HTTP ${response.status} without PostHog's acknowledgement`);
              }
              acknowledged.push(...wireBatch(options.body));
              return response;
            },
          }),
      );
      // posthog-node reports failures through flush()'s rejection; this listener only keeps them off stderr.
      client.on('error', () => undefined);
      for (const message of messages) {
        client.capture({
          distinctId: message.distinctId,
          event: message.event,
          properties: { ...message.properties },
          uuid: message.uuid,
          timestamp: new Date(message.timestamp),
        });
      }
      const aborted = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(timedOut)));
      await Promise.race([client.flush(), aborted]);
    } catch (error) {
      failure = classifyFailure(error);
    } finally {
      clearTimeout(timer);
      abort.abort(); // ends any request still open
    }
    const acknowledgedIds = new Set(acknowledged.map((wire) => wire.uuid));
    if (messages.every((message) => acknowledgedIds.has(message.uuid))) return { kind: 'accepted', wire: acknowledged };
    return { ...(failure ?? { kind: 'failed', reason: 'posthog-node did not send every event' }), acknowledged };
  }
}

type Failure = Exclude<SendResult, { kind: 'accepted' }>;

/**
 * posthog-node probes for gzip support as it is constructed (`Response.prototype.blob`), which makes
 * Node load its `fetch` implementation, undici, at a cost to every delivery process
 * (docs/performance.md), for compression this sink turns off anyway. With `CompressionStream`
 * hidden for that one call, the probe stops before it touches `Response`.
 */
function withoutGzipProbe<T>(make: () => T): T {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'CompressionStream');
  if (!descriptor?.configurable) return make();
  Reflect.deleteProperty(globalThis, 'CompressionStream');
  try {
    return make();
  } finally {
    Object.defineProperty(globalThis, 'CompressionStream', descriptor);
  }
}

/** What a failed send was: PostHog's refusal (with its Retry-After), or a failure to reach it. */
function classifyFailure(error: unknown): Failure {
  const { status, retryAfterMs } = error as { status?: unknown; retryAfterMs?: unknown };
  if (typeof status !== 'number') return { kind: 'failed', reason: describe(error) };
  if (status === 401 || status === 403) return { kind: 'key-refused', status };
  if (!isRetryableStatus(status)) return { kind: 'rejected', status };
  return typeof retryAfterMs === 'number' && retryAfterMs > 0
    ? { kind: 'failed', reason: `HTTP ${status}`, retryAfterMs }
    : { kind: 'failed', reason: `HTTP ${status}` };
}

/**
 * An error's message, with the cause posthog-node wraps in its generic "Network error while
 * fetching PostHog" (a proxy's refusal of the tunnel in words).
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!(error.cause instanceof Error)) return error.message;
  return `${error.message}: ${proxyFailure(error.cause.message) ?? error.cause.message}`;
}

/** PostHog's capture API acknowledges with a JSON object carrying `status` (`{"status": 1}`, `{"status": "Ok"}`). */
function isAcknowledgement(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && 'status' in parsed;
  } catch (error) {
    // Not JSON (an HTML page, half an answer): not PostHog's acknowledgement.
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}

/** The messages of a `/batch/` request body, as JSON objects. */
function wireBatch(body: unknown): WireMessage[] {
  if (typeof body !== 'string') return [];
  const parsed = JSON.parse(body) as { batch?: unknown };
  return Array.isArray(parsed.batch) ? (parsed.batch as WireMessage[]) : [];
}
