import { notAhead } from '../domain/timestamp.js';
import {
  BACKOFF_WAITED_OUT_MS,
  EVENTS_DROPPED_PROPERTY,
  isBurst,
  MIN_REQUEST_TIMEOUT_MS,
  PAUSE_CHECK_MS,
  planBatches,
  nextAttemptDelayMs,
  REQUEST_TIMEOUT_MS,
  type PendingEntry,
  unreadableCount,
} from '../domain/delivery-policy.js';
import { backoffRemainingMs, keyIsRefused, sinceLastAttemptMs, type DeliveryState } from '../domain/delivery-state.js';
import { EVENT_ALIAS, type OutboundMessage } from '../domain/usage-event.js';
import { AnalyticsSink } from '../domain/ports/analytics-sink.js';
import { BackgroundRunner } from '../domain/ports/background-runner.js';
import { Clock } from '../domain/ports/clock.js';
import { Outbox } from '../domain/ports/outbox.js';
import { DecideTracking } from './decide-tracking.js';
import { countDropped, dropWhatMustGo, finishDelivered, newRun, removeFinished, type DeliveryRun } from './delivery-run.js';

export interface DeliveryOptions {
  /** How long this run may take in all. */
  readonly budgetMs: number;
  /** How a background run spaces its requests; without, a run sends at once and ends when the outbox is empty. */
  readonly pacing?: DeliveryPacing;
  /** When time runs out with events still pending, start a successor (background runs). */
  readonly handOver: boolean;
  /** Wait for a running delivery to finish instead of leaving the work to it (`usage flush`, login). */
  readonly waitForClaim?: boolean;
  /** Honour the recorded backoff (background runs): wait it out if it ends in time, else leave the work for later. */
  readonly waitOutBackoff?: boolean;
  /** A command's reservation started this run (the background delivery): it ends the reservation on every path. */
  readonly reserved?: boolean;
  /**
   * Run before each request is planned (the background delivery links a login whose principal a
   * command left to it, so the alias it queues goes out in that very request, ahead of any event
   * under the account).
   */
  readonly beforeRequest?: () => Promise<void>;
}

/** How a background run spaces its requests, so a burst of commands makes few. */
export interface DeliveryPacing {
  /** After a request, how long to wait for more events; the run ends when none came. */
  readonly lingerMs: number;
  /** In a burst (a linger that gathered several command runs), the least time between two requests. */
  readonly burstSpacingMs: number;
  /** Started by a run that handed over mid-burst: its first request keeps the spacing from that run's last. */
  readonly continuesBurst: boolean;
}

export interface DeliveryReport {
  /** Another delivery run held the claim; this one did nothing. */
  readonly busy: boolean;
  /** ARCADE_USAGE_DEBUG: nothing was sent (or changed). */
  readonly debug: boolean;
  readonly sent: number;
  readonly dropped: number;
  /** Messages still pending when this run ended. */
  readonly kept: number;
  readonly lastResult: DeliveryState['lastResult'];
  readonly lastDetail: string | null;
}

/** How a round ended; 'burst-out-of-time': a burst's next request would come after the last moment one fits. */
type RoundEnd = 'drained' | 'failed' | 'disabled' | 'out-of-time' | 'burst-out-of-time' | 'backing-off';

/**
 * Delivers the outbox, the one path by which anything leaves the machine: one run at a time (the
 * outbox's claim), in batches, deleting exactly what PostHog acknowledged, dropping what it
 * rejects as invalid, keeping the rest with backoff. Re-checks the user's choice before every
 * request, so an opt-out stops it at once.
 */
export class DeliverEvents {
  static readonly inject = [Outbox, AnalyticsSink, DecideTracking, BackgroundRunner, Clock] as const;

  constructor(
    private readonly outbox: Outbox,
    private readonly sink: AnalyticsSink,
    private readonly decideTracking: DecideTracking,
    private readonly runner: BackgroundRunner,
    private readonly clock: Clock,
  ) {}

  async execute(options: DeliveryOptions): Promise<DeliveryReport> {
    const deadline = this.clock.monotonicMs() + options.budgetMs;
    const requestTimeoutMs = Math.min(REQUEST_TIMEOUT_MS, options.budgetMs);
    const report = (fields: Partial<DeliveryReport> & Pick<DeliveryReport, 'kept'>): DeliveryReport => ({
      busy: false,
      debug: false,
      sent: 0,
      dropped: 0,
      lastResult: null,
      lastDetail: null,
      ...fields,
    });
    const decision = await this.decideTracking.execute();
    if (!decision.enabled || decision.debug) {
      // Opted out (a `usage disable` after the command that started this run decided): nothing is
      // sent or written, not even the claim, and the reservation that started this run is gone.
      if (options.reserved) await this.outbox.endDeliveryStart();
      return report({ debug: decision.debug, kept: await this.pendingCount() });
    }

    let sent = 0;
    let dropped = 0;
    for (let round = 0; ; round += 1) {
      const claim = await this.outbox.claim(
        options.waitForClaim ? Math.max(0, deadline - this.clock.monotonicMs() - requestTimeoutMs) : 0,
      );
      if (!claim) return report({ busy: round === 0, sent, dropped, kept: await this.pendingCount() });
      // Asked again under the claim: a `usage disable` that cleared the outbox while this run waited
      // for it must not be followed by anything this run writes. (A later one is seen before each request.)
      const { enabled, discardBefore } = await this.decideTracking.execute();
      if (!enabled) {
        await claim.release();
        return report({ sent, dropped, kept: await this.pendingCount() });
      }
      const run = newRun(claim, deadline, requestTimeoutMs, discardBefore);
      let end: RoundEnd;
      try {
        end =
          round === 0 && options.waitOutBackoff && !(await this.waitOutBackoff(run))
            ? 'backing-off'
            : await this.deliverUntilDone(run, options.pacing, options.beforeRequest);
        // After an opt-out mid-run, nothing more is written.
        if (end !== 'disabled' && end !== 'backing-off') await claim.saveState(run.state);
      } finally {
        await claim.release();
      }
      sent += run.sent;
      dropped += run.dropped;
      const kept = await this.pendingCount(run.state);
      // Checked after releasing the claim: an event written while we held it, by a command that
      // saw the claim and so started nobody, is ours to deliver.
      const again = end === 'drained' && kept > 0;
      if (again && this.clock.monotonicMs() + requestTimeoutMs < deadline) continue;
      if ((again || end === 'out-of-time' || end === 'burst-out-of-time') && options.handOver)
        await this.startInBackground(end === 'burst-out-of-time');
      return report({ sent, dropped, kept, lastResult: run.state.lastResult, lastDetail: run.state.lastDetail });
    }
  }

  /** Sleeps until the recorded backoff ends; false (without sleeping) when it ends too late for a request within the deadline. */
  private async waitOutBackoff(run: DeliveryRun): Promise<boolean> {
    const wait = backoffRemainingMs(run.state, this.clock.now());
    if (wait === 0) return true;
    if (this.clock.monotonicMs() + wait + MIN_REQUEST_TIMEOUT_MS > run.deadline) return false;
    await this.clock.sleep(wait);
    run.requestTimeoutMs = Math.min(run.requestTimeoutMs, run.deadline - this.clock.monotonicMs());
    return true;
  }

  /**
   * Sends until the outbox is empty, paced when a background run: the first request at once; after
   * each, a linger for more. A linger that gathered one command run sends it at once; one that
   * gathered several (a burst) sends at least the burst spacing after the last request, as does a
   * successor's first request. A run that has sent hands the rest over rather than wait past the
   * last moment a request fits; one that has not sends then, so every delivery process sends.
   */
  private async deliverUntilDone(
    run: DeliveryRun,
    pacing: DeliveryPacing | undefined,
    beforeRequest: (() => Promise<void>) | undefined,
  ): Promise<RoundEnd> {
    const lastRequestFits = () => run.deadline - run.requestTimeoutMs;
    let requests = 0;
    let lastRequestAt = Number.NEGATIVE_INFINITY;
    if (pacing?.continuesBurst) {
      const since = sinceLastAttemptMs(run.state, this.clock.now());
      if (since !== null) lastRequestAt = this.clock.monotonicMs() - since;
    }
    for (;;) {
      if (pacing && requests > 0 && !(await this.pause(Math.min(lastRequestAt + pacing.lingerMs, lastRequestFits()))))
        return 'disabled';
      await beforeRequest?.();
      let keep = await dropWhatMustGo(run, this.clock.now());
      if (keep.length === 0) return 'drained';
      const burst = pacing && (requests === 0 ? pacing.continuesBurst : isBurst(keep));
      const due = burst ? lastRequestAt + pacing.burstSpacingMs : 0;
      if (due > this.clock.monotonicMs()) {
        if (requests > 0 && due > lastRequestFits()) return 'burst-out-of-time';
        if (!(await this.pause(Math.min(due, lastRequestFits())))) return 'disabled';
        // What came during the pause goes too.
        keep = await dropWhatMustGo(run, this.clock.now());
        if (keep.length === 0) return 'drained';
      }
      requests += 1;
      for (const batch of planBatches(keep)) {
        if (this.clock.monotonicMs() + run.requestTimeoutMs > run.deadline) return 'out-of-time';
        if (!(await this.decideTracking.execute()).enabled) return 'disabled';
        lastRequestAt = this.clock.monotonicMs();
        const carryOn = await this.deliverBatch(run, batch);
        // Recorded after every request, so `usage status` is current even while a long run lingers.
        await run.claim.saveState(run.state);
        if (!carryOn) return 'failed';
      }
    }
  }

  /** Sleeps until `until` (monotonic), re-reading the user's choice as it goes; false when tracking was turned off meanwhile. */
  private async pause(until: number): Promise<boolean> {
    for (let left = until - this.clock.monotonicMs(); left > 0; left = until - this.clock.monotonicMs()) {
      await this.clock.sleep(Math.min(left, PAUSE_CHECK_MS));
      if (!(await this.decideTracking.execute()).enabled) return false;
    }
    return true;
  }

  /**
   * Sends one batch; false when delivery should stop for now. What PostHog acknowledged is finished
   * whatever else happened to the batch, so it is never sent again. A rejected batch is retried
   * entry by entry, so one bad event does not sink the rest.
   */
  private async deliverBatch(run: DeliveryRun, batch: readonly PendingEntry[]): Promise<boolean> {
    const reported = run.state.droppedUnreported;
    const now = this.clock.now();
    // An event stamped ahead of now (the clock ran ahead when it was recorded) is sent as of now.
    const messages = withDroppedCount(
      batch.flatMap((entry) => entry.messages.map((message) => ({ ...message, timestamp: notAhead(message.timestamp, now) }))),
      reported,
    );
    const result = await this.sink.send(messages, run.requestTimeoutMs);
    const at = this.clock.now().toISOString();
    if (result.kind === 'accepted') {
      await finishDelivered(run, batch, result.wire, at, reported);
      return true;
    }
    const acknowledgedIds = new Set((result.acknowledged ?? []).map((wire) => wire.uuid));
    const delivered = batch.filter((entry) => entry.messages.every((message) => acknowledgedIds.has(message.uuid)));
    const rest = batch.filter((entry) => !delivered.includes(entry));
    if (delivered.length > 0) {
      const carrier = messages.find((message) => message.properties[EVENTS_DROPPED_PROPERTY] !== undefined);
      await finishDelivered(
        run,
        delivered,
        result.acknowledged ?? [],
        at,
        carrier && acknowledgedIds.has(carrier.uuid) ? reported : 0,
      );
    }
    if (result.kind === 'key-refused') {
      // Nothing can go with this key: kept, and no background delivery starts until the key changes.
      run.state = {
        ...run.state,
        lastAttemptAt: at,
        lastResult: 'failed',
        lastDetail: `HTTP ${result.status}: PostHog refused the project key`,
        refusedKey: this.sink.keyId(),
      };
      return false;
    }
    if (result.kind === 'failed') {
      const failures = run.state.consecutiveFailures + 1;
      run.state = {
        ...run.state,
        lastAttemptAt: at,
        lastResult: 'failed',
        lastDetail: result.reason,
        consecutiveFailures: failures,
        nextAttemptAt: new Date(this.clock.now().getTime() + nextAttemptDelayMs(failures, result.retryAfterMs)).toISOString(),
      };
      return false;
    }
    if (rest.length > 1) {
      for (const entry of rest) if (!(await this.deliverBatch(run, [entry]))) return false;
      return true;
    }
    await removeFinished(run, rest);
    const count = rest.reduce((sum, entry) => sum + entry.messages.length, 0);
    countDropped(run, count + unreadableCount(rest));
    run.state = {
      ...run.state,
      lastAttemptAt: at,
      lastResult: 'rejected',
      lastDetail: `HTTP ${result.status}: ${count} invalid event(s) dropped`,
    };
    return true;
  }

  /**
   * Starts a delivery process unless one runs or is starting (the outbox's reservation), and names
   * it in the reservation; one that cannot start leaves no reservation behind. `continuesBurst`:
   * started by a run handing over mid-burst, so it keeps that run's spacing.
   */
  private async startInBackground(continuesBurst = false): Promise<void> {
    if (!(await this.outbox.reserveDeliveryStart())) return;
    const pid = this.runner.startDelivery(continuesBurst);
    if (pid === null) await this.outbox.endDeliveryStart();
    else await this.outbox.deliveryStarted(pid);
  }

  /**
   * Starts a background delivery for a command's new entry, unless the record says none is due: a
   * backoff that a delivery process would not wait out, or a project key PostHog refused (which
   * no delivery can send with until it changes). One read of the record.
   */
  async startIfDue(): Promise<void> {
    const state = await this.outbox.deliveryState();
    // A backoff ending soon is waited out by the delivery process, so events never stall until some later command.
    if (backoffRemainingMs(state, this.clock.now()) > BACKOFF_WAITED_OUT_MS) return;
    if (keyIsRefused(state, this.sink.keyId())) return;
    await this.startInBackground();
  }

  /**
   * Keeps the outbox within its bounds now, without sending: for a command that appended past
   * them while no delivery runs (PostHog down, a long backoff). A running delivery prunes as it
   * goes, so when the claim is held this does nothing.
   */
  async pruneNow(): Promise<void> {
    const claim = await this.outbox.claim(0);
    if (!claim) return;
    try {
      const { enabled, discardBefore } = await this.decideTracking.execute();
      if (!enabled) return;
      // No time to send in: this run only drops.
      const run = newRun(claim, this.clock.monotonicMs(), 0, discardBefore);
      await dropWhatMustGo(run, this.clock.now());
      if (run.dropped > 0) await claim.saveState(run.state);
    } finally {
      await claim.release();
    }
  }

  private async pendingCount(state?: DeliveryState): Promise<number> {
    const except = new Set(state?.stuckEntries ?? (await this.outbox.deliveryState()).stuckEntries);
    return (await this.outbox.pendingCount(except)).messages;
  }
}

/** The count of dropped events rides on the first command event of the next delivered batch. */
function withDroppedCount(messages: readonly OutboundMessage[], dropped: number): OutboundMessage[] {
  const index = messages.findIndex((message) => message.event !== EVENT_ALIAS);
  if (dropped <= 0 || index < 0) return [...messages];
  return messages.map((message, i) =>
    i === index ? { ...message, properties: { ...message.properties, [EVENTS_DROPPED_PROPERTY]: dropped } } : message,
  );
}
