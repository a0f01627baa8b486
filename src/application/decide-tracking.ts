import { decideTracking, type Environment, type TrackingDecision } from '../domain/tracking-decision.js';
import { AnalyticsSink } from '../domain/ports/analytics-sink.js';
import { SettingsStore } from '../domain/ports/settings-store.js';
import { TrackingEnvironment } from './provided-values.js';

/** Reads the saved choice and applies the environment to it, at the moment of asking. */
export class DecideTracking {
  static readonly inject = [TrackingEnvironment, SettingsStore, AnalyticsSink] as const;

  constructor(
    private readonly env: Environment,
    private readonly settings: SettingsStore,
    private readonly sink: AnalyticsSink,
  ) {}

  async execute(): Promise<TrackingDecision> {
    return decideTracking(this.env, await this.settings.read(), this.sink.keyId() !== null);
  }
}
