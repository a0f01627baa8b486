import type { OutboundMessage, WireMessage } from '../usage-event.js';

export type SendResult =
  /** PostHog acknowledged every message; `wire` holds each one exactly as it went out (the client library's own properties included). */
  | { readonly kind: 'accepted'; readonly wire: readonly WireMessage[] }
  /** PostHog refused the project key (401/403): nothing can be sent with it, whatever the events. */
  | { readonly kind: 'key-refused'; readonly status: number; readonly acknowledged?: readonly WireMessage[] }
  /** PostHog refused the batch as invalid (a 4xx other than 401/403/408/413/429): sending it again cannot help. */
  | { readonly kind: 'rejected'; readonly status: number; readonly acknowledged?: readonly WireMessage[] }
  /** Network error, timeout, an answer that is not PostHog's, 408, 413, 429 or 5xx: worth another try later. */
  | {
      readonly kind: 'failed';
      readonly reason: string;
      /** PostHog's `Retry-After`, when it sent one. */
      readonly retryAfterMs?: number;
      /** What PostHog did acknowledge before the failure (the client may split a batch into several requests). */
      readonly acknowledged?: readonly WireMessage[];
    };

/** How events reach PostHog, for `usage status`: straight, through a proxy (never its password), or a proxy setting that is not usable. */
export type SinkRoute =
  | { readonly kind: 'direct' }
  | { readonly kind: 'proxy'; readonly origin: string; readonly setting: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/** PostHog. */
export abstract class AnalyticsSink {
  /** Sends the messages in one request, bounded by `timeoutMs`. Never throws, prints nothing. */
  abstract send(messages: readonly OutboundMessage[], timeoutMs: number): Promise<SendResult>;
  /** The route a request to PostHog would take now (the proxy variables). Never throws; sends nothing. */
  abstract route(): Promise<SinkRoute>;
  /**
   * A fingerprint of the PostHog project key events are sent with (never the key), so a key PostHog
   * refused is known again; null when this build has none and none is set: nothing is tracked.
   */
  abstract keyId(): string | null;
}
