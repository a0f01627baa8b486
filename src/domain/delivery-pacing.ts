/**
 * When a delivery run sends its next request. Pure: the run's state and the monotonic clock in,
 * the next step out.
 */
import { BURST_SPACING_MS, DELIVERY_LINGER_MS } from './delivery-policy.js';

/** How a background run spaces its requests. */
export interface Pacing {
  /** After a request, how long to wait for more events; the run ends when none came. */
  readonly lingerMs: number;
  /** In a burst (a linger that gathered several command runs), the least time between two requests. */
  readonly burstSpacingMs: number;
}

export const BACKGROUND_PACING: Pacing = { lingerMs: DELIVERY_LINGER_MS, burstSpacingMs: BURST_SPACING_MS };

/** What a run knows when it decides its next step; times are monotonic milliseconds. */
export interface PacingState {
  readonly now: number;
  /** Requests this round has made. */
  readonly requests: number;
  /** When the last request started (this round's, or the predecessor's for a successor); -Infinity for none. */
  readonly lastRequestAt: number;
  /** The last moment a request still fits in the run's budget. */
  readonly lastRequestFits: number;
  /** Whether the run has waited since its last request (so it has lingered). */
  readonly waitedSinceRequest: boolean;
  /** Whether anything is pending. */
  readonly pending: boolean;
  /** Whether what is pending is a burst: gathered from several command runs (see isBurst). */
  readonly pendingIsBurst: boolean;
  /** Started by a run that handed over mid-burst: its first request keeps the spacing from that run's last. */
  readonly continuesBurst: boolean;
}

export type PacingStep =
  | { readonly kind: 'send' }
  | { readonly kind: 'wait'; readonly until: number }
  | { readonly kind: 'drained' }
  /** A burst's next request would come after the last moment one fits: a successor sends it. */
  | { readonly kind: 'hand-over' };

/** Whether the next step is the linger after a request: a wait whatever is pending, so the run need read nothing first. */
export function lingersNext(pacing: Pacing | null, state: Pick<PacingState, 'requests' | 'waitedSinceRequest'>): boolean {
  return pacing !== null && state.requests > 0 && !state.waitedSinceRequest;
}

/**
 * The next step of a run. Unpaced (foreground): send while anything is pending. Paced: the first
 * request at once; after each, a linger for more. What a linger gathered from one command run goes
 * at once; a burst (or a successor's first request) goes at least the burst spacing after the last
 * request. A run that has sent hands the rest over rather than wait past the last moment a request
 * fits; one that has not sends then, so every delivery process sends.
 */
export function nextStep(pacing: Pacing | null, state: PacingState): PacingStep {
  const { now, requests, lastRequestAt, lastRequestFits } = state;
  if (pacing !== null && lingersNext(pacing, state))
    return { kind: 'wait', until: Math.min(lastRequestAt + pacing.lingerMs, lastRequestFits) };
  if (!state.pending) return { kind: 'drained' };
  if (pacing === null) return { kind: 'send' };
  const burst = requests === 0 ? state.continuesBurst : state.pendingIsBurst;
  const due = burst ? lastRequestAt + pacing.burstSpacingMs : now;
  if (due <= now) return { kind: 'send' };
  if (requests > 0 && due > lastRequestFits) return { kind: 'hand-over' };
  const sendAt = Math.min(due, lastRequestFits);
  return now >= sendAt ? { kind: 'send' } : { kind: 'wait', until: sendAt };
}
