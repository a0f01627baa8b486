import { MAX_RETRY_DELAY_MS } from './delivery-policy.js';

/** The record of past deliveries, kept between runs. */
export interface DeliveryState {
  readonly lastAttemptAt: string | null;
  readonly lastResult: 'delivered' | 'failed' | 'rejected' | null;
  readonly lastDetail: string | null;
  readonly consecutiveFailures: number;
  /** No background delivery starts before this time (backoff across runs). */
  readonly nextAttemptAt: string | null;
  /** Messages dropped (too many, too old, invalid) and not yet reported in a delivered event. */
  readonly droppedUnreported: number;
  readonly droppedTotal: number;
  /**
   * Entries finished with (delivered, rejected or pruned) whose files could not be deleted: never
   * sent again, retried for deletion once per run, and shown by `usage status`.
   */
  readonly stuckEntries: readonly string[];
  readonly stuckReason: string | null;
  /**
   * The fingerprint of a project key PostHog refused (401/403): no background delivery starts while
   * the key is still that one (events are kept, within the outbox's bound); a new key sends again.
   */
  readonly refusedKey: string | null;
}

export const INITIAL_DELIVERY_STATE: DeliveryState = {
  lastAttemptAt: null,
  lastResult: null,
  lastDetail: null,
  consecutiveFailures: 0,
  nextAttemptAt: null,
  droppedUnreported: 0,
  droppedTotal: 0,
  stuckEntries: [],
  stuckReason: null,
  refusedKey: null,
};

/**
 * How long the recorded backoff still holds the next background delivery back (0: it may send now).
 * A next attempt that does not parse, or lies further ahead than the longest backoff (a clock set
 * wrong, a hand edit), is not a backoff arcade set, and holds nothing back.
 */
export function backoffRemainingMs(state: DeliveryState, now: Date): number {
  const next = state.nextAttemptAt === null ? NaN : Date.parse(state.nextAttemptAt);
  const remaining = next - now.getTime();
  return Number.isFinite(remaining) && remaining > 0 && remaining <= MAX_RETRY_DELAY_MS ? remaining : 0;
}

/** Whether PostHog refused the project key that `keyId` names (a new key is tried again). */
export function keyIsRefused(state: DeliveryState, keyId: string | null): boolean {
  return state.refusedKey !== null && state.refusedKey === keyId;
}

/**
 * How long ago the last request ended, by the record: null when there was none, or its time does
 * not parse or lies in the future (a clock set back: no pause is owed to it).
 */
export function sinceLastAttemptMs(state: DeliveryState, now: Date): number | null {
  const since = now.getTime() - (state.lastAttemptAt === null ? NaN : Date.parse(state.lastAttemptAt));
  return Number.isFinite(since) && since >= 0 ? since : null;
}
