import { MAX_RETRY_DELAY_MS, nextAttemptDelayMs, OUTBOX_MAX_EVENTS } from './delivery-policy.js';

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

/*
 * What happened in a run, as new states: each transition below is a pure function of the state
 * before it. `at` is when the request ended (ISO 8601).
 */

/** PostHog acknowledged `count` messages, `reported` dropped events riding along. */
export function afterDelivered(state: DeliveryState, at: string, count: number, reported: number): DeliveryState {
  return {
    ...state,
    lastAttemptAt: at,
    lastResult: 'delivered',
    refusedKey: null,
    lastDetail: `${count} event(s) delivered`,
    consecutiveFailures: 0,
    nextAttemptAt: null,
    droppedUnreported: state.droppedUnreported - reported,
  };
}

/** The request failed (worth another try later): the backoff grows, or follows PostHog's Retry-After. */
export function afterFailure(state: DeliveryState, at: Date, reason: string, retryAfterMs?: number): DeliveryState {
  const failures = state.consecutiveFailures + 1;
  return {
    ...state,
    lastAttemptAt: at.toISOString(),
    lastResult: 'failed',
    lastDetail: reason,
    consecutiveFailures: failures,
    nextAttemptAt: new Date(at.getTime() + nextAttemptDelayMs(failures, retryAfterMs)).toISOString(),
  };
}

/** PostHog refused the project key (`keyId` names it): nothing goes with it until it changes. */
export function afterKeyRefused(state: DeliveryState, at: string, status: number, keyId: string | null): DeliveryState {
  return {
    ...state,
    lastAttemptAt: at,
    lastResult: 'failed',
    lastDetail: `HTTP ${status}: PostHog refused the project key`,
    refusedKey: keyId,
  };
}

/** PostHog rejected `count` messages as invalid; they were dropped. */
export function afterRejected(state: DeliveryState, at: string, status: number, count: number): DeliveryState {
  return { ...state, lastAttemptAt: at, lastResult: 'rejected', lastDetail: `HTTP ${status}: ${count} invalid event(s) dropped` };
}

/** `count` messages were dropped unsent: reported on the next delivered event, and kept in the total. */
export function withDropped(state: DeliveryState, count: number): DeliveryState {
  if (count === 0) return state;
  return { ...state, droppedUnreported: state.droppedUnreported + count, droppedTotal: state.droppedTotal + count };
}

/**
 * Entries `finished` were deleted, except `unremoved` (with why): those are remembered, so they are
 * never sent again, and the ones deleted are forgotten.
 */
export function afterRemoval(
  state: DeliveryState,
  finished: readonly string[],
  unremoved: readonly { readonly id: string; readonly reason: string }[],
): DeliveryState {
  const done = new Set(finished);
  const others = state.stuckEntries.filter((id) => !done.has(id));
  const stuckEntries = [...others, ...unremoved.map((entry) => entry.id)].slice(-OUTBOX_MAX_EVENTS);
  return {
    ...state,
    stuckEntries,
    stuckReason: stuckEntries.length === 0 ? null : (unremoved[0]?.reason ?? state.stuckReason),
  };
}
