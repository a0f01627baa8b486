import { INITIAL_DELIVERY_STATE, keyIsRefused, type DeliveryState } from '../domain/delivery-state.js';
import { resolvedFrom } from '../domain/identity.js';
import type { TrackingDecision } from '../domain/tracking-decision.js';
import { AnalyticsSink, type SinkRoute } from '../domain/ports/analytics-sink.js';
import { IdentityStore } from '../domain/ports/identity-store.js';
import { Outbox } from '../domain/ports/outbox.js';
import { DecideTracking } from './decide-tracking.js';
import type { Environment } from '../domain/tracking-decision.js';
import { StateDirectory, TrackingEnvironment } from './provided-values.js';

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
  /** ARCADE_API_KEY is set: events are attributed to its principal, over credentials.yaml. */
  readonly apiKeyFromEnvironment: boolean;
  /** How events reach PostHog: straight or through a proxy (null while tracking is off: nothing is sent). */
  readonly route: SinkRoute | null;
  /** Why no event can be recorded on this machine now (the state directory or usage.json), or null. */
  readonly stateProblem: string | null;
  /** PostHog refused the project key in use: nothing is delivered until it changes. */
  readonly keyRefused: boolean;
}

/** Everything a user may want to know about tracking on this machine. Reads only; changes nothing (debug mode included). */
export class UsageStatus {
  static readonly inject = [DecideTracking, IdentityStore, Outbox, AnalyticsSink, StateDirectory, TrackingEnvironment] as const;

  constructor(
    private readonly decideTracking: DecideTracking,
    private readonly identities: IdentityStore,
    private readonly outbox: Outbox,
    private readonly sink: AnalyticsSink,
    private readonly stateDir: string,
    private readonly env: Environment,
  ) {}

  async execute(): Promise<UsageStatusReport> {
    // The command meant to explain a broken state directory reads only what can be read there.
    const problem = await this.identities.stateProblem();
    const readable = problem?.readable ?? true;
    const identity = readable ? await this.identities.read() : null;
    const resolved = identity ? resolvedFrom(identity) : null;
    const delivery = readable ? await this.outbox.deliveryState() : INITIAL_DELIVERY_STATE;
    const pending = readable ? await this.outbox.pendingCount(new Set(delivery.stuckEntries)) : { messages: 0, skippedRuns: 0 };
    const decision = await this.decideTracking.execute();
    return {
      decision,
      distinctId: resolved?.distinctId ?? null,
      anonymous: resolved?.anonymous ?? null,
      stateDir: this.stateDir,
      pendingEvents: pending.messages,
      droppedEvents: delivery.droppedTotal + pending.skippedRuns,
      delivery,
      apiKeyFromEnvironment: (this.env.ARCADE_API_KEY?.trim() ?? '') !== '',
      route: decision.enabled && !decision.debug ? await this.sink.route() : null,
      stateProblem: problem?.reason ?? null,
      keyRefused: keyIsRefused(delivery, this.sink.keyId()),
    };
  }
}
