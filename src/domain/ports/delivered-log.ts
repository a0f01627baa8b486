import type { OutboundMessage } from '../usage-event.js';

/** A message PostHog acknowledged, and when. */
export interface DeliveredRecord {
  readonly message: OutboundMessage;
  readonly deliveredAt: string;
}

/** The last events that actually left the machine, kept locally so the user can see them (`usage log`). */
export interface DeliveredLog {
  /** Adds acknowledged messages, keeping only the most recent DELIVERED_LOG_LIMIT. Written by the delivery lock's holder only. */
  record(messages: readonly OutboundMessage[], deliveredAt: string): Promise<void>;
  /** Oldest first. */
  recent(): Promise<DeliveredRecord[]>;
  clear(): Promise<void>;
}

export const DeliveredLog = Symbol.for('DeliveredLog');
