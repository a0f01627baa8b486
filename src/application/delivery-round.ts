/**
 * One round of a delivery under the outbox's claim: what is still to send, what is dropped (runs
 * from before a `usage disable`, skipped runs, the outbox's bounds) and counted, and what PostHog
 * acknowledged, deleted and logged. Its state changes here only, through the pure transitions of
 * `delivery-state.ts`; DeliverEvents decides when to send.
 */
import { planPrune, predatesDisable, unreadableCount, type PendingEntry } from '../domain/delivery-policy.js';
import {
  afterDelivered,
  afterFailure,
  afterKeyRefused,
  afterRejected,
  afterRemoval,
  withDropped,
  type DeliveryState,
} from '../domain/delivery-state.js';
import type { SendResult } from '../domain/ports/analytics-sink.js';
import type { DeliveryClaim } from '../domain/ports/outbox.js';
import type { WireMessage } from '../domain/usage-event.js';

/** What a request's answer leaves to do: go on, stop for now, or send each of `rest` on its own (a rejected batch). */
export type Settled =
  { readonly kind: 'next' } | { readonly kind: 'stop' } | { readonly kind: 'one-by-one'; readonly rest: readonly PendingEntry[] };

export class DeliveryRound {
  private current: DeliveryState;
  private sentCount = 0;
  private droppedCount = 0;
  /** Whether deleting the stuck entries was tried again in this round. */
  private retriedStuck = false;

  constructor(
    readonly claim: DeliveryClaim,
    /** The last `usage disable`, as the round found it when it got the claim. */
    private readonly discardBefore: string | null,
  ) {
    this.current = claim.state;
  }

  get state(): DeliveryState {
    return this.current;
  }

  get sent(): number {
    return this.sentCount;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  private update(transition: (state: DeliveryState) => DeliveryState): void {
    this.current = transition(this.current);
  }

  save(): Promise<void> {
    return this.claim.saveState(this.current);
  }

  /**
   * Deletes what is not to be sent (runs from before the last `usage disable`, uncounted; markers
   * of skipped runs, unreadable entries and what the outbox's bounds drop, counted) and returns
   * what is left to send, oldest first.
   */
  async pending(now: Date): Promise<PendingEntry[]> {
    const all = await this.unfinishedEntries();
    await this.remove(all.filter((entry) => predatesDisable(entry, this.discardBefore, now)));
    const entries = all.filter((entry) => !predatesDisable(entry, this.discardBefore, now));
    const skipped = entries.filter((entry) => entry.skippedRuns > 0);
    await this.drop(
      skipped,
      skipped.reduce((sum, entry) => sum + entry.skippedRuns, 0),
    );
    // Entries with nothing readable to send (not JSON, too large, no message of arcade's shape).
    const empty = entries.filter((entry) => entry.skippedRuns === 0 && entry.messages.length === 0);
    await this.drop(empty, unreadableCount(empty));
    const prune = planPrune(
      entries.filter((entry) => entry.skippedRuns === 0 && entry.messages.length > 0),
      now,
    );
    await this.drop(prune.drop, prune.droppedMessages);
    return [...prune.keep];
  }

  /**
   * Applies PostHog's answer to a request that carried `batch` (`reported` dropped events riding
   * on `carrier`, the message that counted them). What PostHog acknowledged is finished whatever
   * else happened to the batch, so it is never sent again; the rest is kept with backoff, or, when
   * rejected as invalid, dropped (a lone entry) or left to be tried entry by entry.
   */
  async settle(
    batch: readonly PendingEntry[],
    result: SendResult,
    reported: { readonly count: number; readonly carrier: string | undefined },
    endedAt: Date,
    keyId: string | null,
  ): Promise<Settled> {
    const at = endedAt.toISOString();
    if (result.kind === 'accepted') {
      await this.delivered(batch, result.wire, at, reported.count);
      return { kind: 'next' };
    }
    const acknowledged = result.acknowledged ?? [];
    const ids = new Set(acknowledged.map((wire) => wire.uuid));
    const delivered = batch.filter((entry) => entry.messages.every((message) => ids.has(message.uuid)));
    const rest = batch.filter((entry) => !delivered.includes(entry));
    if (delivered.length > 0) {
      const carried = reported.carrier !== undefined && ids.has(reported.carrier) ? reported.count : 0;
      await this.delivered(delivered, acknowledged, at, carried);
    }
    switch (result.kind) {
      case 'key-refused':
        // Nothing can go with this key: kept, and no background delivery starts until the key changes.
        this.update((state) => afterKeyRefused(state, at, result.status, keyId));
        return { kind: 'stop' };
      case 'failed':
        this.update((state) => afterFailure(state, endedAt, result.reason, result.retryAfterMs));
        return { kind: 'stop' };
      case 'rejected': {
        // One bad event must not sink the rest.
        if (rest.length > 1) return { kind: 'one-by-one', rest };
        const count = rest.reduce((sum, entry) => sum + entry.messages.length, 0);
        await this.drop(rest, count + unreadableCount(rest));
        this.update((state) => afterRejected(state, at, result.status, count));
        return { kind: 'next' };
      }
    }
  }

  /** Deletes the entries PostHog acknowledged and logs what it received of them; `reported` dropped events rode along. */
  private async delivered(
    entries: readonly PendingEntry[],
    wire: readonly WireMessage[],
    at: string,
    reported: number,
  ): Promise<void> {
    await this.remove(entries);
    const count = entries.reduce((sum, entry) => sum + entry.messages.length, 0);
    const ids = new Set<unknown>(entries.flatMap((entry) => entry.messages.map((message) => message.uuid)));
    this.sentCount += count;
    await this.claim.recordDelivered(
      wire.filter((message) => ids.has(message.uuid)).map((message) => ({ deliveredAt: at, wire: message })),
    );
    this.update((state) => withDropped(afterDelivered(state, at, count, reported), unreadableCount(entries)));
    this.droppedCount += unreadableCount(entries);
  }

  /** Deletes entries dropped unsent, counting `count` messages as dropped. */
  async drop(entries: readonly PendingEntry[], count: number): Promise<void> {
    if (entries.length === 0) return;
    await this.remove(entries);
    this.droppedCount += count;
    this.update((state) => withDropped(state, count));
  }

  /** Deletes entries this round is done with; any that cannot be deleted are remembered, so they are never sent again. */
  private async remove(entries: readonly PendingEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const ids = [...new Set(entries.map((entry) => entry.id))];
    const unremoved = await this.claim.remove(ids);
    this.update((state) => afterRemoval(state, ids, unremoved));
  }

  /**
   * The entries still to deliver: all but those finished with whose files could not be deleted
   * (deletion of those is retried once per round, and the ones gone are forgotten).
   */
  private async unfinishedEntries(): Promise<PendingEntry[]> {
    const entries = await this.claim.entries();
    if (this.current.stuckEntries.length === 0) return entries;
    const stuck = new Set(this.current.stuckEntries);
    if (!this.retriedStuck) {
      this.retriedStuck = true;
      const present = entries.filter((entry) => stuck.has(entry.id));
      this.update((state) => ({ ...state, stuckEntries: present.map((entry) => entry.id) }));
      await this.remove(present);
    }
    // Whether deleted just now or still stuck, they are finished: never sent again.
    return entries.filter((entry) => !stuck.has(entry.id));
  }
}
