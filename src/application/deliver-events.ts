import { BACKGROUND_PACING } from '../domain/delivery-pacing.js';
import { MIN_REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../domain/delivery-policy.js';
import { backoffRemainingMs, type DeliveryState } from '../domain/delivery-state.js';
import { BackgroundRunner } from '../domain/ports/background-runner.js';
import { Clock } from '../domain/ports/clock.js';
import { Outbox } from '../domain/ports/outbox.js';
import { DecideTracking } from './decide-tracking.js';
import { DeliveryRound } from './delivery-round.js';
import { SendRound, type RoundEnd, type RoundPlan } from './send-round.js';

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

const NOTHING_DONE: Omit<DeliveryReport, 'kept'> = {
  busy: false,
  debug: false,
  sent: 0,
  dropped: 0,
  lastResult: null,
  lastDetail: null,
};

/** A round's clock: its deadline and the time one request may take (monotonic ms). */
type RoundTime = Pick<RoundPlan, 'deadline' | 'requestTimeoutMs'>;

/**
 * Delivers the outbox, the one path by which anything leaves the machine: one run at a time (the
 * outbox's claim), round after round while events keep coming and time allows, then hands over to
 * a successor or to the backoff. Within a round, SendRound paces the requests and DeliveryRound
 * applies each answer: exactly what PostHog acknowledged is deleted, what it rejects as invalid is
 * dropped, the rest is kept. The user's choice is read again before every request.
 */
export class DeliverEvents {
  static readonly inject = [Outbox, DecideTracking, BackgroundRunner, Clock, SendRound] as const;

  constructor(
    private readonly outbox: Outbox,
    private readonly decideTracking: DecideTracking,
    private readonly runner: BackgroundRunner,
    private readonly clock: Clock,
    private readonly sendRound: SendRound,
  ) {}

  async execute(mode: DeliveryMode): Promise<DeliveryReport> {
    const background = mode.kind === 'background';
    const deadline = this.clock.monotonicMs() + mode.budgetMs;
    const requestTimeoutMs = Math.min(REQUEST_TIMEOUT_MS, mode.budgetMs);
    const report = (fields: Partial<DeliveryReport> & Pick<DeliveryReport, 'kept'>): DeliveryReport => ({
      ...NOTHING_DONE,
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
      let end: RoundEnd | 'backing-off';
      try {
        const time =
          round === 0 && background
            ? await this.afterBackoff(delivery.state, deadline, requestTimeoutMs)
            : { deadline, requestTimeoutMs };
        end =
          time === null
            ? 'backing-off'
            : await this.sendRound.execute(delivery, {
                ...time,
                pacing: background ? BACKGROUND_PACING : null,
                continuesBurst: background && mode.continuesBurst,
                beforeRequest: background ? mode.beforeRequest : null,
              });
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

  private async pendingCount(state?: DeliveryState): Promise<number> {
    const except = new Set(state?.stuckEntries ?? (await this.outbox.deliveryState()).stuckEntries);
    return (await this.outbox.pendingCount(except)).messages;
  }
}
