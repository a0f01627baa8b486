/**
 * One delivery run's bookkeeping under the outbox's claim: which pending entries are still to
 * send, which are dropped (runs from before a `usage disable`, skipped runs, the outbox's bounds)
 * and counted, and what PostHog acknowledged, deleted and logged. DeliverEvents decides when to
 * send; this keeps the run's state true to what happened.
 */
import { OUTBOX_MAX_EVENTS, planPrune, predatesDisable, unreadableCount, type PendingEntry } from '../domain/delivery-policy.js';
import type { DeliveryState } from '../domain/delivery-state.js';
import type { DeliveryClaim } from '../domain/ports/outbox.js';
import type { WireMessage } from '../domain/usage-event.js';

/** One delivery run's hold on the outbox and what it has done so far (its state is saved under the claim). */
export interface DeliveryRun {
  readonly claim: DeliveryClaim;
  readonly deadline: number;
  /** Shortened after waiting out a backoff, to what time is left. */
  requestTimeoutMs: number;
  /** The last `usage disable`, as the run found it when it got the claim. */
  readonly discardBefore: string | null;
  state: DeliveryState;
  /** Whether deleting the stuck entries was tried again in this run. */
  retriedStuck: boolean;
  sent: number;
  dropped: number;
}

export function newRun(
  claim: DeliveryClaim,
  deadline: number,
  requestTimeoutMs: number,
  discardBefore: string | null,
): DeliveryRun {
  return { claim, deadline, requestTimeoutMs, discardBefore, state: claim.state, retriedStuck: false, sent: 0, dropped: 0 };
}

/** Deletes the entries PostHog acknowledged and records what it received of them; `reported` dropped events rode along. */
export async function finishDelivered(
  run: DeliveryRun,
  entries: readonly PendingEntry[],
  wire: readonly WireMessage[],
  at: string,
  reported: number,
): Promise<void> {
  await removeFinished(run, entries);
  const count = entries.reduce((sum, entry) => sum + entry.messages.length, 0);
  const ids = new Set<unknown>(entries.flatMap((entry) => entry.messages.map((message) => message.uuid)));
  run.sent += count;
  await run.claim.recordDelivered(
    wire.filter((message) => ids.has(message.uuid)).map((message) => ({ deliveredAt: at, wire: message })),
  );
  run.state = {
    ...run.state,
    lastAttemptAt: at,
    lastResult: 'delivered',
    refusedKey: null,
    lastDetail: `${count} event(s) delivered`,
    consecutiveFailures: 0,
    nextAttemptAt: null,
    droppedUnreported: run.state.droppedUnreported - reported,
  };
  countDropped(run, unreadableCount(entries));
}

/**
 * The entries still to deliver: all but those finished with whose files could not be deleted
 * (deletion of those is retried once per run, and the ones gone are forgotten).
 */
async function unfinishedEntries(run: DeliveryRun): Promise<PendingEntry[]> {
  const entries = await run.claim.entries();
  if (run.state.stuckEntries.length === 0) return entries;
  const stuck = new Set(run.state.stuckEntries);
  if (!run.retriedStuck) {
    run.retriedStuck = true;
    const present = entries.filter((entry) => stuck.has(entry.id));
    run.state = { ...run.state, stuckEntries: present.map((entry) => entry.id) };
    await removeFinished(run, present);
  }
  // Whether deleted just now or still stuck, they are finished: never sent again.
  return entries.filter((entry) => !stuck.has(entry.id));
}

/**
 * Under the claim: deletes what is not to be sent (runs from before the last `usage disable`,
 * uncounted; markers of skipped runs and what the outbox's bounds drop, counted) and returns
 * what is left to send.
 */
export async function dropWhatMustGo(run: DeliveryRun, now: Date): Promise<PendingEntry[]> {
  const all = await unfinishedEntries(run);
  await removeFinished(
    run,
    all.filter((entry) => predatesDisable(entry, run.discardBefore, now)),
  );
  const entries = all.filter((entry) => !predatesDisable(entry, run.discardBefore, now));
  const skipped = entries.filter((entry) => entry.skippedRuns > 0);
  if (skipped.length > 0) {
    await removeFinished(run, skipped);
    countDropped(
      run,
      skipped.reduce((sum, entry) => sum + entry.skippedRuns, 0),
    );
  }
  // Entries with nothing readable to send (not JSON, too large, no message of arcade's shape).
  const empty = entries.filter((entry) => entry.skippedRuns === 0 && entry.messages.length === 0);
  if (empty.length > 0) {
    await removeFinished(run, empty);
    countDropped(run, unreadableCount(empty));
  }
  const prune = planPrune(
    entries.filter((entry) => entry.skippedRuns === 0 && entry.messages.length > 0),
    now,
  );
  if (prune.drop.length > 0) {
    await removeFinished(run, prune.drop);
    countDropped(run, prune.droppedMessages);
  }
  return [...prune.keep];
}

/** Deletes entries this run is done with; any that cannot be deleted are remembered, so they are never sent again. */
export async function removeFinished(run: DeliveryRun, entries: readonly PendingEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const ids = new Set(entries.map((entry) => entry.id));
  const unremoved = await run.claim.remove([...ids]);
  const others = run.state.stuckEntries.filter((id) => !ids.has(id));
  const stuckEntries = [...others, ...unremoved.map((entry) => entry.id)].slice(-OUTBOX_MAX_EVENTS);
  run.state = {
    ...run.state,
    stuckEntries,
    stuckReason: stuckEntries.length === 0 ? null : (unremoved[0]?.reason ?? run.state.stuckReason),
  };
}

export function countDropped(run: DeliveryRun, count: number): void {
  run.dropped += count;
  run.state = {
    ...run.state,
    droppedUnreported: run.state.droppedUnreported + count,
    droppedTotal: run.state.droppedTotal + count,
  };
}
