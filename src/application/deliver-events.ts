import {
  EVENTS_DROPPED_PROPERTY,
  planBatches,
  planPrune,
  REQUEST_TIMEOUT_MS,
  retryDelayMs,
  type PendingEntry,
} from '../domain/delivery-policy.js';
import type { DeliveryState } from '../domain/delivery-state.js';
import { EVENT_ALIAS, type OutboundMessage } from '../domain/usage-event.js';
import type { AnalyticsSink } from '../domain/ports/analytics-sink.js';
import type { BackgroundRunner } from '../domain/ports/background-runner.js';
import type { Clock } from '../domain/ports/clock.js';
import type { DeliveredLog } from '../domain/ports/delivered-log.js';
import type { DeliveryLock } from '../domain/ports/delivery-lock.js';
import type { DeliveryStateStore } from '../domain/ports/delivery-state-store.js';
import type { Outbox } from '../domain/ports/outbox.js';
import type { DecideTracking } from './decide-tracking.js';

export interface DeliveryOptions {
  /** How long this run may take in all. */
  readonly budgetMs: number;
  /** Background runs wait this long between requests, so a burst of commands shares one request. */
  readonly lingerMs: number;
  /** When time runs out with events still pending, start a successor (background runs). */
  readonly handOver: boolean;
  /** Wait for a running delivery to finish instead of leaving the work to it (`usage flush`). */
  readonly waitForLock?: boolean;
}

export interface DeliveryReport {
  /** Another delivery run held the lock; this one did nothing. */
  readonly busy: boolean;
  readonly sent: number;
  readonly dropped: number;
  /** Messages still pending when this run ended. */
  readonly kept: number;
  readonly lastResult: DeliveryState['lastResult'];
  readonly lastDetail: string | null;
}

type RoundEnd = 'drained' | 'failed' | 'disabled' | 'out-of-time';

/**
 * Delivers the outbox: one run at a time (the delivery lock), in batches, deleting exactly what
 * PostHog acknowledged, dropping what it rejects as invalid, keeping the rest with backoff.
 * Re-checks the user's choice before every request, so an opt-out stops it at once.
 */
export class DeliverEvents {
  constructor(
    private readonly outbox: Outbox,
    private readonly sink: AnalyticsSink,
    private readonly lock: DeliveryLock,
    private readonly states: DeliveryStateStore,
    private readonly decideTracking: DecideTracking,
    private readonly runner: BackgroundRunner,
    private readonly log: DeliveredLog,
    private readonly clock: Clock,
  ) {}

  async execute(options: DeliveryOptions): Promise<DeliveryReport> {
    const deadline = this.clock.monotonicMs() + options.budgetMs;
    let sent = 0;
    let dropped = 0;
    let state: DeliveryState | null = null;
    for (let ran = false; ; ran = true) {
      const release = await this.acquire(deadline, options.waitForLock ?? false);
      if (!release)
        return {
          busy: !ran,
          sent,
          dropped,
          kept: await this.pendingCount(),
          lastResult: state?.lastResult ?? null,
          lastDetail: state?.lastDetail ?? null,
        };
      let end: RoundEnd;
      try {
        state = await this.states.read();
        const run = { state, sent: 0, dropped: 0 };
        end = await this.deliverUntilDone(run, deadline, options.lingerMs);
        state = run.state;
        sent += run.sent;
        dropped += run.dropped;
        await this.states.write(state);
      } finally {
        await release();
      }
      const kept = await this.pendingCount();
      // Checked after releasing the lock: an event written while we held it, by a command that
      // saw the lock and so started nobody, is ours to deliver.
      const again = end === 'drained' && kept > 0;
      if (again && this.clock.monotonicMs() + REQUEST_TIMEOUT_MS < deadline) continue;
      if ((again || end === 'out-of-time') && options.handOver) this.runner.startDelivery();
      return { busy: false, sent, dropped, kept, lastResult: state.lastResult, lastDetail: state.lastDetail };
    }
  }

  private async acquire(deadline: number, wait: boolean): Promise<(() => Promise<void>) | null> {
    for (;;) {
      const release = await this.lock.tryAcquire();
      if (release || !wait || this.clock.monotonicMs() + REQUEST_TIMEOUT_MS > deadline) return release;
      await this.clock.sleep(100);
    }
  }

  private async deliverUntilDone(run: Run, deadline: number, lingerMs: number): Promise<RoundEnd> {
    let lastRequestAt = Number.NEGATIVE_INFINITY;
    for (;;) {
      const wait = Math.min(lastRequestAt + lingerMs, deadline - REQUEST_TIMEOUT_MS) - this.clock.monotonicMs();
      if (wait > 0) await this.clock.sleep(wait);
      const entries = await this.outbox.list();
      const skipped = entries.filter((entry) => entry.skippedRuns > 0);
      if (skipped.length > 0) {
        await this.outbox.remove(skipped.map((entry) => entry.id));
        this.countDropped(
          run,
          skipped.reduce((sum, entry) => sum + entry.skippedRuns, 0),
        );
      }
      const prune = planPrune(
        entries.filter((entry) => entry.skippedRuns === 0),
        this.clock.now(),
      );
      if (prune.drop.length > 0) {
        await this.outbox.remove(prune.drop.map((entry) => entry.id));
        this.countDropped(run, prune.droppedMessages);
      }
      if (prune.keep.length === 0) return 'drained';
      for (const batch of planBatches(prune.keep)) {
        if (this.clock.monotonicMs() + REQUEST_TIMEOUT_MS > deadline) return 'out-of-time';
        if (!(await this.decideTracking.execute()).enabled) return 'disabled';
        lastRequestAt = this.clock.monotonicMs();
        const carryOn = await this.deliverBatch(run, batch);
        // Recorded after every request, so `usage status` is current even while a long run lingers.
        await this.states.write(run.state);
        if (!carryOn) return 'failed';
      }
    }
  }

  /** Sends one batch; false when delivery should stop for now. A rejected batch is retried entry by entry, so one bad event does not sink the rest. */
  private async deliverBatch(run: Run, batch: readonly PendingEntry[]): Promise<boolean> {
    const reported = run.state.droppedUnreported;
    const messages = withDroppedCount(
      batch.flatMap((entry) => entry.messages),
      reported,
    );
    const result = await this.sink.send(messages, REQUEST_TIMEOUT_MS);
    const at = this.clock.now().toISOString();
    const count = batch.reduce((sum, entry) => sum + entry.messages.length, 0);
    if (result.kind === 'failed') {
      const failures = run.state.consecutiveFailures + 1;
      run.state = {
        ...run.state,
        lastAttemptAt: at,
        lastResult: 'failed',
        lastDetail: result.reason,
        consecutiveFailures: failures,
        nextAttemptAt: new Date(this.clock.now().getTime() + retryDelayMs(failures)).toISOString(),
      };
      return false;
    }
    if (result.kind === 'rejected' && batch.length > 1) {
      for (const entry of batch) if (!(await this.deliverBatch(run, [entry]))) return false;
      return true;
    }
    await this.outbox.remove(batch.map((entry) => entry.id));
    if (result.kind === 'rejected') {
      this.countDropped(run, count);
      run.state = {
        ...run.state,
        lastAttemptAt: at,
        lastResult: 'rejected',
        lastDetail: `HTTP ${result.status}: ${count} invalid event(s) dropped`,
      };
      return true;
    }
    run.sent += count;
    await this.log.record(messages, at);
    run.state = {
      ...run.state,
      lastAttemptAt: at,
      lastResult: 'delivered',
      lastDetail: `${count} event(s) delivered`,
      consecutiveFailures: 0,
      nextAttemptAt: null,
      droppedUnreported: run.state.droppedUnreported - reported,
    };
    return true;
  }

  private countDropped(run: Run, count: number): void {
    run.dropped += count;
    run.state = {
      ...run.state,
      droppedUnreported: run.state.droppedUnreported + count,
      droppedTotal: run.state.droppedTotal + count,
    };
  }

  private async pendingCount(): Promise<number> {
    return (await this.outbox.list()).reduce((sum, entry) => sum + entry.messages.length, 0);
  }
}

interface Run {
  state: DeliveryState;
  sent: number;
  dropped: number;
}

/** The count of dropped events rides on the first command event of the next delivered batch. */
function withDroppedCount(messages: readonly OutboundMessage[], dropped: number): OutboundMessage[] {
  const index = messages.findIndex((message) => message.event !== EVENT_ALIAS);
  if (dropped <= 0 || index < 0) return [...messages];
  return messages.map((message, i) =>
    i === index ? { ...message, properties: { ...message.properties, [EVENTS_DROPPED_PROPERTY]: dropped } } : message,
  );
}
