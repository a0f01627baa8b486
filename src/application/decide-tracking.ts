import { decideTracking, type Environment, type TrackingDecision } from '../domain/tracking-decision.js';
import { SettingsStore } from '../domain/ports/settings-store.js';
import { TrackingEnvironment } from './provided-values.js';

/** Reads the saved choice and applies the environment to it, at the moment of asking. */
export class DecideTracking {
  static readonly inject = [TrackingEnvironment, SettingsStore] as const;

  constructor(
    private readonly env: Environment,
    private readonly settings: SettingsStore,
  ) {}

  async execute(): Promise<TrackingDecision> {
    return decideTracking(this.env, await this.settings.read());
  }
}
