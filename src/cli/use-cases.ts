/**
 * The use cases commands drive (`context.app.<name>`): the one place a command's use case is
 * registered. The composition root binds these and every use case they need, each from its
 * `inject` list; the ones only other use cases need (ResolveIdentity, QueueMessages,
 * DeliverEvents …) are bound that way and are not the commands' to call.
 */
import { AccountContext } from '../application/account-context.js';
import { DecideTracking } from '../application/decide-tracking.js';
import { FlushEvents } from '../application/flush-events.js';
import { ListWorkers } from '../application/list-workers.js';
import { Login } from '../application/login.js';
import { Logout } from '../application/logout.js';
import { RemoveWorker } from '../application/remove-worker.js';
import { SetTracking } from '../application/set-tracking.js';
import { SetWorkerEnabled } from '../application/set-worker-enabled.js';
import { StreamWorkerLogs } from '../application/stream-worker-logs.js';
import { TrackCommand } from '../application/track-command.js';
import { UsageLog } from '../application/usage-log.js';
import { UsageStatus } from '../application/usage-status.js';
import { Whoami } from '../application/whoami.js';
import { useCase, type Built } from './wiring.js';

export const USE_CASES = {
  decideTracking: useCase(DecideTracking),
  trackCommand: useCase(TrackCommand),
  flushEvents: useCase(FlushEvents),
  login: useCase(Login),
  logout: useCase(Logout),
  whoami: useCase(Whoami),
  usageStatus: useCase(UsageStatus),
  setTracking: useCase(SetTracking),
  usageLog: useCase(UsageLog),
  accountContext: useCase(AccountContext),
  listWorkers: useCase(ListWorkers),
  setWorkerEnabled: useCase(SetWorkerEnabled),
  removeWorker: useCase(RemoveWorker),
  streamWorkerLogs: useCase(StreamWorkerLogs),
};

/** The use cases, built: what commands get through Clipanion's context. */
export type UseCases = Built<typeof USE_CASES>;
