import { BACKGROUND_PACING, lingersNext, nextStep, type Pacing } from '../domain/delivery-pacing.js';
import {
  EVENTS_DROPPED_PROPERTY,
  withDroppedCount,
  isBurst,
  MIN_REQUEST_TIMEOUT_MS,
  PAUSE_CHECK_MS,
  planBatches,
  REQUEST_TIMEOUT_MS,
  type PendingEntry,
  unreadableCount,
} from '../domain/delivery-policy.js';
import {
  afterFailure,
  afterKeyRefused,
  afterRejected,
  backoffRemainingMs,
  sinceLastAttemptMs,
  type DeliveryState,
} from '../domain/delivery-state.js';
import { notAhead } from '../domain/timestamp.js';
import { AnalyticsSink } from '../domain/ports/analytics-sink.js';
import { BackgroundRunner } from '../domain/ports/background-runner.js';
import { Clock } from '../domain/ports/clock.js';
import { Outbox } from '../domain/ports/outbox.js';
import { DecideTracking } from './decide-tracking.js';
import { DeliveryRound } from './delivery-round.js';

/**
 * The two ways a delivery runs. `background`: the detached process a command started (through its
 * reservation); it waits out a short backoff, paces its requests so a burst of commands makes few,
 * lingers for more events, runs `beforeRequest` before each request (linking a login a command left
 * to it, so the alias goes out ahead of any event under the account), and hands over to a
 * successor when its budget runs out. `foreground` (`usage flush`, login): waits for a running
 * delivery to finish, then sends everything at once within its budget.
 */
export type DeliveryMode =
  | {
      readonly kind: 'background';
      readonly budgetMs: number;
      /** Started by a run that handed over mid-burst: its first request keeps the spacing from that run's last. */
      readonly continuesBurst: boolean;
      readonly beforeRequest: () => Promise<void>;
    }
  | { readonly kind: 'foreground'; readonly budgetMs: number };

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

/** How a round ended; 'hand-over': a burst's next request would come after the last moment one fits. */
type RoundEnd = 'drained' | 'failed' | 'disabled' | 'out-of-time' | 'hand-over' | 'backing-off';

/** A round's clock: its deadline and the time one request may take (monotonic ms). */
interface RoundTime {
  readonly deadline: number;
  readonly requestTimeoutMs: number;
}

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

  async execute(mode: DeliveryMode): Promise<DeliveryReport> {
    const background = mode.kind === 'background';
    const deadline = this.clock.monotonicMs() + mode.budgetMs;
    const requestTimeoutMs = Math.min(REQUEST_TIMEOUT_MS, mode.budgetMs);
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
      if (background) await this.runner.endStart();
      return report({ debug: decision.debug, kept: await this.pendingCount() });
    }

    let sent = 0;
    let dropped = 0;
    for (let round = 0; ; round += 1) {
      let claim = await this.outbox.claim(background ? 0 : Math.max(0, deadline - this.clock.monotonicMs() - requestTimeoutMs));
      if (background && round === 0) {
        // Asked for, got or not: a delivery is running, and it delivers what commands add meanwhile.
        await this.runner.endStart();
        // A command that appended while the reservation stood started nobody, counting on this run;
        // the claim's holder may have let it go after its last look. Once more, now that commands
        // see no reservation (and so start a delivery or leave it to the holder themselves).
        claim ??= await this.outbox.claim(0);
      }
      if (!claim) return report({ busy: round === 0, sent, dropped, kept: await this.pendingCount() });
      // Asked again under the claim: a `usage disable` that cleared the outbox while this run waited
      // for it must not be followed by anything this run writes. (A later one is seen before each request.)
      const { enabled, discardBefore } = await this.decideTracking.execute();
      if (!enabled) {
        await claim.release();
        return report({ sent, dropped, kept: await this.pendingCount() });
      }
      const delivery = new DeliveryRound(claim, discardBefore);
      let end: RoundEnd;
      try {
        const time =
          round === 0 && background
            ? await this.afterBackoff(delivery.state, deadline, requestTimeoutMs)
            : { deadline, requestTimeoutMs };
        end = time === null ? 'backing-off' : await this.deliverUntilDone(delivery, time, mode);
        // After an opt-out mid-run, nothing more is written.
        if (end !== 'disabled' && end !== 'backing-off') await delivery.save();
      } finally {
        await claim.release();
      }
      sent += delivery.sent;
      dropped += delivery.dropped;
      const kept = await this.pendingCount(delivery.state);
      // Checked after releasing the claim: an event written while we held it, by a command that
      // saw the claim and so started nobody, is ours to deliver.
      const again = end === 'drained' && kept > 0;
      if (again && this.clock.monotonicMs() + requestTimeoutMs < deadline) continue;
      if (background && (again || end === 'out-of-time' || end === 'hand-over'))
        await this.runner.startDelivery(end === 'hand-over');
      return report({ sent, dropped, kept, lastResult: delivery.state.lastResult, lastDetail: delivery.state.lastDetail });
    }
  }

  /**
   * A background run's first round waits out the recorded backoff, and sends with what time is
   * left after it; null (without waiting) when the backoff ends too late for a request.
   */
  private async afterBackoff(state: DeliveryState, deadline: number, requestTimeoutMs: number): Promise<RoundTime | null> {
    const wait = backoffRemainingMs(state, this.clock.now());
    if (wait === 0) return { deadline, requestTimeoutMs };
    if (this.clock.monotonicMs() + wait + MIN_REQUEST_TIMEOUT_MS > deadline) return null;
    await this.clock.sleep(wait);
    return { deadline, requestTimeoutMs: Math.min(requestTimeoutMs, deadline - this.clock.monotonicMs()) };
  }

  /** Sends until the outbox is empty, each step as `nextStep` (delivery-pacing.ts) says. */
  private async deliverUntilDone(delivery: DeliveryRound, time: RoundTime, mode: DeliveryMode): Promise<RoundEnd> {
    const pacing: Pacing | null = mode.kind === 'background' ? BACKGROUND_PACING : null;
    const continuesBurst = mode.kind === 'background' && mode.continuesBurst;
    let requests = 0;
    let lastRequestAt = Number.NEGATIVE_INFINITY;
    let waitedSinceRequest = false;
    if (continuesBurst) {
      const since = sinceLastAttemptMs(delivery.state, this.clock.now());
      if (since !== null) lastRequestAt = this.clock.monotonicMs() - since;
    }
    for (;;) {
      // The linger after a request waits whatever is pending: what it gathered is read after it.
      let keep: PendingEntry[] = [];
      if (!lingersNext(pacing, { requests, waitedSinceRequest })) {
        if (mode.kind === 'background') await mode.beforeRequest();
        keep = await delivery.pending(this.clock.now());
      }
      const step = nextStep(pacing, {
        now: this.clock.monotonicMs(),
        requests,
        lastRequestAt,
        lastRequestFits: time.deadline - time.requestTimeoutMs,
        waitedSinceRequest,
        pending: keep.length > 0,
        pendingIsBurst: isBurst(keep),
        continuesBurst,
      });
      if (step.kind === 'drained' || step.kind === 'hand-over') return step.kind;
      if (step.kind === 'wait') {
        if (!(await this.pause(step.until))) return 'disabled';
        waitedSinceRequest = true;
        continue;
      }
      requests += 1;
      waitedSinceRequest = false;
      for (const batch of planBatches(keep)) {
        if (this.clock.monotonicMs() + time.requestTimeoutMs > time.deadline) return 'out-of-time';
        if (!(await this.decideTracking.execute()).enabled) return 'disabled';
        lastRequestAt = this.clock.monotonicMs();
        const carryOn = await this.deliverBatch(delivery, batch, time.requestTimeoutMs);
        // Recorded after every request, so `usage status` is current even while a long run lingers.
        await delivery.save();
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
  private async deliverBatch(delivery: DeliveryRound, batch: readonly PendingEntry[], timeoutMs: number): Promise<boolean> {
    const reported = delivery.state.droppedUnreported;
    const now = this.clock.now();
    // An event stamped ahead of now (the clock ran ahead when it was recorded) is sent as of now.
    const messages = withDroppedCount(
      batch.flatMap((entry) => entry.messages.map((message) => ({ ...message, timestamp: notAhead(message.timestamp, now) }))),
      reported,
    );
    const result = await this.sink.send(messages, timeoutMs);
    const endedAt = this.clock.now();
    const at = endedAt.toISOString();
    if (result.kind === 'accepted') {
      await delivery.delivered(batch, result.wire, at, reported);
      return true;
    }
    const acknowledgedIds = new Set((result.acknowledged ?? []).map((wire) => wire.uuid));
    const delivered = batch.filter((entry) => entry.messages.every((message) => acknowledgedIds.has(message.uuid)));
    const rest = batch.filter((entry) => !delivered.includes(entry));
    if (delivered.length > 0) {
      const carrier = messages.find((message) => message.properties[EVENTS_DROPPED_PROPERTY] !== undefined);
      const carried = carrier && acknowledgedIds.has(carrier.uuid) ? reported : 0;
      await delivery.delivered(delivered, result.acknowledged ?? [], at, carried);
    }
    switch (result.kind) {
      case 'key-refused':
        // Nothing can go with this key: kept, and no background delivery starts until the key changes.
        delivery.update((state) => afterKeyRefused(state, at, result.status, this.sink.keyId()));
        return false;
      case 'failed':
        delivery.update((state) => afterFailure(state, endedAt, result.reason, result.retryAfterMs));
        return false;
      case 'rejected': {
        if (rest.length > 1) {
          for (const entry of rest) if (!(await this.deliverBatch(delivery, [entry], timeoutMs))) return false;
          return true;
        }
        const count = rest.reduce((sum, entry) => sum + entry.messages.length, 0);
        await delivery.drop(rest, count + unreadableCount(rest));
        delivery.update((state) => afterRejected(state, at, result.status, count));
        return true;
      }
    }
  }

  private async pendingCount(state?: DeliveryState): Promise<number> {
    const except = new Set(state?.stuckEntries ?? (await this.outbox.deliveryState()).stuckEntries);
    return (await this.outbox.pendingCount(except)).messages;
  }
}
