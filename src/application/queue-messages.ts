import { BACKOFF_WAITED_OUT_MS, OUTBOX_MAX_EVENTS } from '../domain/delivery-policy.js';
import { backoffRemainingMs, keyIsRefused } from '../domain/delivery-state.js';
import type { TrackingDecision } from '../domain/tracking-decision.js';
import type { OutboundMessage } from '../domain/usage-event.js';
import { AnalyticsSink } from '../domain/ports/analytics-sink.js';
import { BackgroundRunner } from '../domain/ports/background-runner.js';
import { Clock } from '../domain/ports/clock.js';
import { DebugOutput } from '../domain/ports/debug-output.js';
import { Outbox } from '../domain/ports/outbox.js';
import { DecideTracking } from './decide-tracking.js';
import { DeliveryRound } from './delivery-round.js';

/**
 * The one way into the event path: messages are appended to the outbox, whence the one delivery
 * use case (DeliverEvents) sends them, in a delivery process started here when one is due. In
 * debug mode they are printed instead, and nothing is written or started.
 */
export class QueueMessages {
  static readonly inject = [Outbox, DecideTracking, BackgroundRunner, AnalyticsSink, DebugOutput, Clock] as const;

  constructor(
    private readonly outbox: Outbox,
    private readonly decideTracking: DecideTracking,
    private readonly runner: BackgroundRunner,
    private readonly sink: AnalyticsSink,
    private readonly debug: DebugOutput,
    private readonly clock: Clock,
  ) {}

  /** `deliver: 'background'` makes sure a delivery process will pick them up; `'caller'`: the caller delivers now. */
  async execute(
    messages: readonly OutboundMessage[],
    decision: TrackingDecision,
    deliver: 'background' | 'caller',
  ): Promise<void> {
    if (decision.debug) {
      for (const message of messages) this.debug.message(message);
      return;
    }
    const id = await this.outbox.append(messages);
    // Asked again once the entry is written: a `usage disable` since the run decided (it saves the
    // choice before it clears the outbox) either cleared this entry already or is seen here, and
    // the entry is taken back. Either way nothing of this run is left once disable has returned.
    if (!(await this.decideTracking.execute()).enabled) return this.outbox.withdraw(id);
    // A delivery run holding the claim delivers this entry and keeps the bound: it counts what is
    // pending once it has let the claim go, and goes on (or hands over) when anything is left.
    if (await this.outbox.claimHeld()) return;
    // The bound holds at append too, not only when a delivery runs (PostHog down for long backoffs).
    if ((await this.outbox.pendingCount()).messages > OUTBOX_MAX_EVENTS) await this.pruneNow();
    if (deliver === 'background') await this.startDeliveryIfDue();
  }

  /**
   * Starts a background delivery for the new entry, unless the record says none is due: a backoff
   * that a delivery process would not wait out, or a project key PostHog refused (which no
   * delivery can send with until it changes). One read of the record.
   */
  private async startDeliveryIfDue(): Promise<void> {
    const state = await this.outbox.deliveryState();
    // A backoff ending soon is waited out by the delivery process, so events never stall until some later command.
    if (backoffRemainingMs(state, this.clock.now()) > BACKOFF_WAITED_OUT_MS) return;
    if (keyIsRefused(state, this.sink.keyId())) return;
    await this.runner.startDelivery(false);
  }

  /**
   * Keeps the outbox within its bounds now, without sending: for a command that appended past them
   * while no delivery runs (PostHog down, a long backoff). A delivery prunes as it goes, so when
   * one holds the claim this does nothing.
   */
  private async pruneNow(): Promise<void> {
    const claim = await this.outbox.claim(0);
    if (!claim) return;
    try {
      const { enabled, discardBefore } = await this.decideTracking.execute();
      if (!enabled) return;
      const round = new DeliveryRound(claim, discardBefore);
      await round.pending(this.clock.now());
      if (round.dropped > 0) await round.save();
    } finally {
      await claim.release();
    }
  }

  /** Counts one run that went untracked (the identity file stayed locked) with the dropped events. */
  async skipped(decision: TrackingDecision): Promise<void> {
    if (!decision.debug) await this.outbox.recordSkipped();
  }
}
