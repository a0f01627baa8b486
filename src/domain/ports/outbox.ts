import type { PendingEntry } from '../delivery-policy.js';
import type { OutboundMessage } from '../usage-event.js';

/** Events waiting in `.arcade/` to be delivered; safe for many processes at once. */
export interface Outbox {
  /** Stores the messages as one entry, wholly or not at all. Cheap: this is on the command's path. */
  append(messages: readonly OutboundMessage[]): Promise<void>;
  /** Notes, without any lock, that one run went untracked, so it is counted with the dropped events. */
  recordSkipped(): Promise<void>;
  /** Every pending entry, oldest first. */
  list(): Promise<PendingEntry[]>;
  /** Deletes these entries (those already gone are ignored). */
  remove(ids: readonly string[]): Promise<void>;
  /** Deletes every pending entry; resolves to how many messages were deleted. */
  clear(): Promise<number>;
}

export const Outbox = Symbol.for('Outbox');
