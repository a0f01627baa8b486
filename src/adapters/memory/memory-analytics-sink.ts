import type { OutboundMessage } from '../../domain/usage-event.js';
import type { AnalyticsSink, SendResult, SinkRoute } from '../../domain/ports/analytics-sink.js';

export class MemoryAnalyticsSink implements AnalyticsSink {
  readonly received: OutboundMessage[] = [];
  readonly requests: OutboundMessage[][] = [];
  /** Answers for the next requests, in order; when empty, every request is accepted. */
  readonly answers: SendResult[] = [];
  /** Decides per request (given the request's timeout); wins over `answers`. */
  answer: ((messages: readonly OutboundMessage[], timeoutMs: number) => SendResult) | null = null;
  /** What `route()` says. */
  sinkRoute: SinkRoute = { kind: 'direct' };
  /** What `keyId()` says: null for a build with no project key. */
  key: string | null = 'memory-project-key';

  keyId(): string | null {
    return this.key;
  }

  async route(): Promise<SinkRoute> {
    return this.sinkRoute;
  }

  async send(messages: readonly OutboundMessage[], timeoutMs: number): Promise<SendResult> {
    this.requests.push([...messages]);
    const result = this.answer?.(messages, timeoutMs) ?? this.answers.shift() ?? { kind: 'accepted', wire: [] };
    if (result.kind !== 'accepted') return result;
    this.received.push(...messages);
    // As a client library would: the message on the wire, with a property of its own.
    return {
      kind: 'accepted',
      wire: messages.map((m) => ({
        uuid: m.uuid,
        event: m.event,
        distinct_id: m.distinctId,
        timestamp: m.timestamp,
        properties: { ...m.properties, $lib: 'memory' },
      })),
    };
  }
}
