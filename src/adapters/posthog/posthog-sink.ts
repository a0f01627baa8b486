import { isRetryableStatus } from '../../domain/delivery-policy.js';
import type { AnalyticsSink, SendResult } from '../../domain/ports/analytics-sink.js';
import type { OutboundMessage, WireMessage } from '../../domain/usage-event.js';

/**
 * PostHog through posthog-node, loaded only in the process that delivers. One client per batch,
 * no retries of its own (delivery retries across runs), and success only when posthog-node
 * reports every uuid flushed. Compression is off and the request body is read on its way out, so
 * an accepted batch comes back exactly as PostHog received it (posthog-node's own properties too).
 */
export class PosthogSink implements AnalyticsSink {
  constructor(
    private readonly host: string,
    private readonly projectKey: string,
  ) {}

  async send(messages: readonly OutboundMessage[], timeoutMs: number): Promise<SendResult> {
    if (messages.length === 0) return { kind: 'accepted', wire: [] };
    let timer: NodeJS.Timeout | undefined;
    let acknowledged: WireMessage[] = [];
    try {
      const { PostHog } = await import('posthog-node');
      const client = new PostHog(this.projectKey, {
        host: this.host,
        flushAt: messages.length + 1,
        flushInterval: 0,
        maxBatchSize: messages.length,
        fetchRetryCount: 0,
        requestTimeout: timeoutMs,
        disableCompression: true,
        fetch: async (url, options) => {
          const response = await fetch(url, options);
          if (response.ok) acknowledged = wireBatch(options.body);
          return response;
        },
      });
      const flushed = new Set<string>();
      client.on('flush', (sent: Array<{ uuid?: string }>) =>
        sent.forEach((message) => message.uuid && flushed.add(message.uuid)),
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
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from PostHog within ${timeoutMs} ms`)), timeoutMs + 500);
      });
      await Promise.race([client.flush(), deadline]);
      const missing = messages.filter((message) => !flushed.has(message.uuid)).length;
      return missing === 0
        ? { kind: 'accepted', wire: acknowledged }
        : { kind: 'failed', reason: `${missing} event(s) were not sent` };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number') {
        return isRetryableStatus(status) ? { kind: 'failed', reason: `HTTP ${status}` } : { kind: 'rejected', status };
      }
      return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The messages of a `/batch/` request body, as JSON objects. */
function wireBatch(body: unknown): WireMessage[] {
  if (typeof body !== 'string') return [];
  const parsed = JSON.parse(body) as { batch?: unknown };
  return Array.isArray(parsed.batch) ? (parsed.batch as WireMessage[]) : [];
}
