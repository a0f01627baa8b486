import type { OutboundMessage, WireMessage } from '../usage-event.js';

export type SendResult =
  /** PostHog acknowledged every message; `wire` holds each one exactly as it went out (the client library's own properties included). */
  | { readonly kind: 'accepted'; readonly wire: readonly WireMessage[] }
  /** PostHog refused the batch as invalid (a 4xx other than 408/429): sending it again cannot help. */
  | { readonly kind: 'rejected'; readonly status: number }
  /** Network error, timeout, 408, 429 or 5xx: worth another try later. */
  | { readonly kind: 'failed'; readonly reason: string };

/** PostHog. */
export abstract class AnalyticsSink {
  /** Sends the messages in one request, bounded by `timeoutMs`. Never throws, prints nothing. */
  abstract send(messages: readonly OutboundMessage[], timeoutMs: number): Promise<SendResult>;
}
