import type { OutboundMessage } from '../usage-event.js';

export type SendResult =
  /** PostHog acknowledged every message. */
  | { readonly kind: 'accepted' }
  /** PostHog refused the batch as invalid (a 4xx other than 408/429): sending it again cannot help. */
  | { readonly kind: 'rejected'; readonly status: number }
  /** Network error, timeout, 408, 429 or 5xx: worth another try later. */
  | { readonly kind: 'failed'; readonly reason: string };

/** PostHog. */
export interface AnalyticsSink {
  /** Sends the messages in one request, bounded by `timeoutMs`. Never throws, prints nothing. */
  send(messages: readonly OutboundMessage[], timeoutMs: number): Promise<SendResult>;
}

export const AnalyticsSink = Symbol.for('AnalyticsSink');
