import { decideTracking, type Environment, type TrackingDecision } from '../domain/tracking-decision.js';
import type { SettingsStore } from '../domain/ports/settings-store.js';

/** Reads the saved choice and applies the environment to it, at the moment of asking. */
export class DecideTracking {
  constructor(
    private readonly env: Environment,
    private readonly settings: SettingsStore,
  ) {}

  async execute(): Promise<TrackingDecision> {
    return decideTracking(this.env, await this.settings.read());
  }
}
