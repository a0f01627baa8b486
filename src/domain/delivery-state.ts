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
}

export const INITIAL_DELIVERY_STATE: DeliveryState = {
  lastAttemptAt: null,
  lastResult: null,
  lastDetail: null,
  consecutiveFailures: 0,
  nextAttemptAt: null,
  droppedUnreported: 0,
  droppedTotal: 0,
};

export function deliveryIsDue(state: DeliveryState, now: Date): boolean {
  return state.nextAttemptAt === null || Date.parse(state.nextAttemptAt) <= now.getTime();
}
