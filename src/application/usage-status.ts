import type { DeliveryState } from '../domain/delivery-state.js';
import { resolvedFrom } from '../domain/identity.js';
import type { TrackingDecision } from '../domain/tracking-decision.js';
import type { DeliveryStateStore } from '../domain/ports/delivery-state-store.js';
import type { IdentityStore } from '../domain/ports/identity-store.js';
import type { Outbox } from '../domain/ports/outbox.js';
import type { DecideTracking } from './decide-tracking.js';

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

/** Everything a user may want to know about tracking on this machine. Reads only; changes nothing. */
export class UsageStatus {
  constructor(
    private readonly decideTracking: DecideTracking,
    private readonly identities: IdentityStore,
    private readonly outbox: Outbox,
    private readonly deliveryStates: DeliveryStateStore,
    private readonly stateDir: string,
  ) {}

  async execute(): Promise<UsageStatusReport> {
    const identity = await this.identities.read();
    const resolved = identity ? resolvedFrom(identity) : null;
    const entries = await this.outbox.list();
    const delivery = await this.deliveryStates.read();
    return {
      decision: await this.decideTracking.execute(),
      distinctId: resolved?.distinctId ?? null,
      anonymous: resolved?.anonymous ?? null,
      stateDir: this.stateDir,
      pendingEvents: entries.reduce((sum, entry) => sum + entry.messages.length, 0),
      droppedEvents: delivery.droppedTotal + entries.reduce((sum, entry) => sum + entry.skippedRuns, 0),
      delivery,
    };
  }
}
