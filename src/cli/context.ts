import type { BaseContext } from 'clipanion';
import type { DecideTracking } from '../application/decide-tracking.js';
import type { DeliverEvents } from '../application/deliver-events.js';
import type { ListWorkers } from '../application/list-workers.js';
import type { Login } from '../application/login.js';
import type { Logout } from '../application/logout.js';
import type { RemoveWorker } from '../application/remove-worker.js';
import type { RotateIdentity } from '../application/rotate-identity.js';
import type { SetTracking } from '../application/set-tracking.js';
import type { SetWorkerEnabled } from '../application/set-worker-enabled.js';
import type { TrackCommand } from '../application/track-command.js';
import type { UsageLog } from '../application/usage-log.js';
import type { UsageStatus } from '../application/usage-status.js';
import type { Whoami } from '../application/whoami.js';
import type { Clock } from '../domain/ports/clock.js';

/** The use cases the commands drive, built by the composition root. */
export interface UseCases {
  readonly decideTracking: DecideTracking;
  readonly trackCommand: TrackCommand;
  readonly login: Login;
  readonly logout: Logout;
  readonly rotateIdentity: RotateIdentity;
  readonly whoami: Whoami;
  readonly usageStatus: UsageStatus;
  readonly deliverEvents: DeliverEvents;
  readonly setTracking: SetTracking;
  readonly usageLog: UsageLog;
  readonly listWorkers: ListWorkers;
  readonly setWorkerEnabled: SetWorkerEnabled;
  readonly removeWorker: RemoveWorker;
}

/** What every command gets through Clipanion's context (commands cannot take constructor arguments). */
export interface CliContext extends BaseContext {
  readonly app: UseCases;
  readonly clock: Clock;
  readonly homeDir: string;
}
