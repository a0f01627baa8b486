import { lingersNext, nextStep, type Pacing } from '../domain/delivery-pacing.js';
import { isBurst, PAUSE_CHECK_MS, planBatches, requestMessages, type PendingEntry } from '../domain/delivery-policy.js';
import { sinceLastAttemptMs } from '../domain/delivery-state.js';
import { AnalyticsSink } from '../domain/ports/analytics-sink.js';
import { Clock } from '../domain/ports/clock.js';
import { DecideTracking } from './decide-tracking.js';
import type { DeliveryRound } from './delivery-round.js';

/** How one round sends (times are monotonic ms). */
export interface RoundPlan {
  readonly deadline: number;
  /** The time one request may take. */
  readonly requestTimeoutMs: number;
  /** Background pacing (linger, burst spacing); null: everything at once. */
  readonly pacing: Pacing | null;
  /** Started by a run that handed over mid-burst: its first request keeps the spacing from that run's last. */
  readonly continuesBurst: boolean;
  /** Run before each request (the background link of a pending login). */
  readonly beforeRequest: (() => Promise<void>) | null;
}

/** How a round ended; 'hand-over': a burst's next request would come after the last moment one fits. */
export type RoundEnd = 'drained' | 'failed' | 'disabled' | 'out-of-time' | 'hand-over';

/**
 * Sends a round's pending events, each step as `nextStep` (delivery-pacing.ts) says, until none is
 * left, a request fails, time runs out or the user opts out (seen before every request and during
 * every wait). What each answer means for the events is the round's to apply (DeliveryRound.settle).
 */
export class SendRound {
  static readonly inject = [AnalyticsSink, DecideTracking, Clock] as const;

  constructor(
    private readonly sink: AnalyticsSink,
    private readonly decideTracking: DecideTracking,
    private readonly clock: Clock,
  ) {}

  async execute(round: DeliveryRound, plan: RoundPlan): Promise<RoundEnd> {
    const { pacing, continuesBurst } = plan;
    let requests = 0;
    let lastRequestAt = Number.NEGATIVE_INFINITY;
    let waitedSinceRequest = false;
    if (continuesBurst) {
      const since = sinceLastAttemptMs(round.state, this.clock.now());
      if (since !== null) lastRequestAt = this.clock.monotonicMs() - since;
    }
    for (;;) {
      // The linger after a request waits whatever is pending: what it gathered is read after it.
      let keep: PendingEntry[] = [];
      if (!lingersNext(pacing, { requests, waitedSinceRequest })) {
        await plan.beforeRequest?.();
        keep = await round.pending(this.clock.now());
      }
      const step = nextStep(pacing, {
        now: this.clock.monotonicMs(),
        requests,
        lastRequestAt,
        lastRequestFits: plan.deadline - plan.requestTimeoutMs,
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
        if (this.clock.monotonicMs() + plan.requestTimeoutMs > plan.deadline) return 'out-of-time';
        if (!(await this.decideTracking.execute()).enabled) return 'disabled';
        lastRequestAt = this.clock.monotonicMs();
        const carryOn = await this.sendBatch(round, batch, plan.requestTimeoutMs);
        // Recorded after every request, so `usage status` is current even while a long run lingers.
        await round.save();
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

  /** Sends one batch (and, when PostHog rejects it as invalid, each of its entries); false when delivery should stop for now. */
  private async sendBatch(round: DeliveryRound, batch: readonly PendingEntry[], timeoutMs: number): Promise<boolean> {
    const reported = round.state.droppedUnreported;
    const { messages, carrier } = requestMessages(batch, reported, this.clock.now());
    const result = await this.sink.send(messages, timeoutMs);
    const next = await round.settle(batch, result, { count: reported, carrier }, this.clock.now(), this.sink.keyId());
    if (next.kind !== 'one-by-one') return next.kind === 'next';
    for (const entry of next.rest) if (!(await this.sendBatch(round, [entry], timeoutMs))) return false;
    return true;
  }
}
