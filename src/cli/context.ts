import type { BaseContext } from 'clipanion';
import type { Clock } from '../domain/ports/clock.js';
import type { UseCases } from './use-cases.js';

/** What every command gets through Clipanion's context (commands cannot take constructor arguments). */
export interface CliContext extends BaseContext {
  readonly app: UseCases;
  readonly clock: Clock;
  readonly homeDir: string;
  /** Where arcade keeps its state (`~/.arcade`, or under ARCADE_WORK_DIR). */
  readonly stateDir: string;
  /** ARCADE_ENGINE_URL and ARCADE_CLOUD_URL (or their defaults), checked by the commands that call them. */
  readonly engineUrl: string;
  readonly cloudUrl: string;
  /** ARCADE_DEBUG=1: an unexpected error prints its stack, and a tracking failure is reported. */
  readonly debug: boolean;
}
