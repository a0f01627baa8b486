import type { DeliveryState } from '../domain/delivery-state.js';
import { resolvedFrom } from '../domain/identity.js';
import type { TrackingDecision } from '../domain/tracking-decision.js';
import { IdentityStore } from '../domain/ports/identity-store.js';
import { Outbox } from '../domain/ports/outbox.js';
import { DecideTracking } from './decide-tracking.js';
import { StateDirectory } from './provided-values.js';

export interface UsageStatusReport {
  readonly decision: TrackingDecision;
  /** The id events go out under now; null until the first tracked command creates one. */
  readonly distinctId: string | null;
  readonly anonymous: boolean | null;
  readonly stateDir: string;
  readonly pendingEvents: number;
  /** Events dropped so far (too many, too old, invalid, or runs skipped for a locked file). */
  readonly droppedEvents: number;
  readonly delivery: DeliveryState;
}

/** Everything a user may want to know about tracking on this machine. Reads only; changes nothing (debug mode included). */
export class UsageStatus {
  static readonly inject = [DecideTracking, IdentityStore, Outbox, StateDirectory] as const;

  constructor(
    private readonly decideTracking: DecideTracking,
    private readonly identities: IdentityStore,
    private readonly outbox: Outbox,
    private readonly stateDir: string,
  ) {}

  async execute(): Promise<UsageStatusReport> {
    const identity = await this.identities.read();
    const resolved = identity ? resolvedFrom(identity) : null;
    const delivery = await this.outbox.deliveryState();
    const pending = await this.outbox.pendingCount(new Set(delivery.stuckEntries));
    return {
      decision: await this.decideTracking.execute(),
      distinctId: resolved?.distinctId ?? null,
      anonymous: resolved?.anonymous ?? null,
      stateDir: this.stateDir,
      pendingEvents: pending.messages,
      droppedEvents: delivery.droppedTotal + pending.skippedRuns,
      delivery,
    };
  }
}
