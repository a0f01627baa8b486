import type { PendingEntry } from '../delivery-policy.js';
import type { DeliveryState } from '../delivery-state.js';
import type { OutboundMessage, WireMessage } from '../usage-event.js';

/** An entry whose file could not be deleted, and why (in words: "permission denied"). */
export interface Unremoved {
  readonly id: string;
  readonly reason: string;
}

/** A message PostHog acknowledged, exactly as it went out, and when. */
export interface DeliveredRecord {
  readonly deliveredAt: string;
  readonly wire: WireMessage;
}

/** What is waiting, for `usage status`. */
export interface PendingCount {
  readonly messages: number;
  /** Runs that went untracked because the identity file stayed locked. */
  readonly skippedRuns: number;
}

/**
 * One delivery run's exclusive hold on the outbox (at most one at a time, across processes). Only
 * a claim can delete entries, record deliveries or change the delivery state.
 */
export interface DeliveryClaim {
  /** The delivery state as it was when the claim was taken. */
  readonly state: DeliveryState;
  /** Every pending entry, oldest first. */
  entries(): Promise<PendingEntry[]>;
  /** Deletes these entries (entries already gone are fine); resolves to those that could not be deleted. */
  remove(ids: readonly string[]): Promise<Unremoved[]>;
  /** Adds acknowledged messages to the log `usage log` shows (the most recent DELIVERED_LOG_LIMIT). */
  recordDelivered(records: readonly DeliveredRecord[]): Promise<void>;
  saveState(state: DeliveryState): Promise<void>;
  /** Deletes every pending entry, the delivered log and the delivery state (an opt-out); resolves to how many messages were deleted. */
  clearAll(): Promise<number>;
  /** Ends the claim (a claim already lost to a stale-lock takeover ends quietly). */
  release(): Promise<void>;
}

/** Events waiting in `.arcade/` to be delivered, and the record of past deliveries. Safe for many processes at once. */
export abstract class Outbox {
  /** Stores the messages as one entry, wholly or not at all, without waiting on any claim; resolves to its id. Cheap: on the command's path. */
  abstract append(messages: readonly OutboundMessage[]): Promise<string>;
  /**
   * Takes back an entry this process has just appended (the user opted out meanwhile). The one
   * delete outside a claim: nobody else has a reason to keep the entry, and one already gone is fine.
   */
  abstract withdraw(id: string): Promise<void>;
  /** Notes, without any lock, that one run went untracked, so it is counted with the dropped events. */
  abstract recordSkipped(): Promise<void>;
  /** What is waiting, leaving out the entries named (those delivered but not deletable). */
  abstract pendingCount(except?: ReadonlySet<string>): Promise<PendingCount>;
  abstract deliveryState(): Promise<DeliveryState>;
  /** Whether a live delivery run holds the claim now (a dead one's counts as free). Cheap: on the command's path. */
  abstract claimHeld(): Promise<boolean>;
  /** The log of delivered messages, oldest first. */
  abstract delivered(): Promise<DeliveredRecord[]>;
  /** Takes the claim, waiting up to `waitMs` for a running delivery to end; null when it could not be had. */
  abstract claim(waitMs: number): Promise<DeliveryClaim | null>;
}
