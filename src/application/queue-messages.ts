import { OUTBOX_MAX_EVENTS } from '../domain/delivery-policy.js';
import type { TrackingDecision } from '../domain/tracking-decision.js';
import type { OutboundMessage } from '../domain/usage-event.js';
import { DebugOutput } from '../domain/ports/debug-output.js';
import { Outbox } from '../domain/ports/outbox.js';
import { DecideTracking } from './decide-tracking.js';
import { DeliverEvents } from './deliver-events.js';

/**
 * The one way into the event path: messages are appended to the outbox, whence the one delivery
 * use case sends them. In debug mode they are printed instead, and nothing is written or started.
 */
export class QueueMessages {
  static readonly inject = [Outbox, DecideTracking, DeliverEvents, DebugOutput] as const;

  constructor(
    private readonly outbox: Outbox,
    private readonly decideTracking: DecideTracking,
    private readonly deliverEvents: DeliverEvents,
    private readonly debug: DebugOutput,
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
    if ((await this.outbox.pendingCount()).messages > OUTBOX_MAX_EVENTS) await this.deliverEvents.pruneNow();
    if (deliver === 'background') await this.deliverEvents.startIfDue();
  }

  /** Counts one run that went untracked (the identity file stayed locked) with the dropped events. */
  async skipped(decision: TrackingDecision): Promise<void> {
    if (!decision.debug) await this.outbox.recordSkipped();
  }
}
