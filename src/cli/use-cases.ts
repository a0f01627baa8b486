/**
 * Every use case the commands drive: the one place a new use case is registered. The composition
 * root binds each one from its `inject` list, and commands reach them as `context.app.<name>`.
 */
import { AccountContext } from '../application/account-context.js';
import { AuthorizeArcade } from '../application/authorize-arcade.js';
import { DecideTracking } from '../application/decide-tracking.js';
import { DeliverEvents } from '../application/deliver-events.js';
import { DeliverInBackground } from '../application/deliver-in-background.js';
import { FlushEvents } from '../application/flush-events.js';
import { LinkPendingLogin } from '../application/link-pending-login.js';
import { ListWorkers } from '../application/list-workers.js';
import { Login } from '../application/login.js';
import { Logout } from '../application/logout.js';
import { QueueMessages } from '../application/queue-messages.js';
import { RemoveWorker } from '../application/remove-worker.js';
import { ResolveIdentity } from '../application/resolve-identity.js';
import { SetTracking } from '../application/set-tracking.js';
import { SetWorkerEnabled } from '../application/set-worker-enabled.js';
import { StreamWorkerLogs } from '../application/stream-worker-logs.js';
import { TrackCommand } from '../application/track-command.js';
import { UsageLog } from '../application/usage-log.js';
import { UsageStatus } from '../application/usage-status.js';
import { Whoami } from '../application/whoami.js';
import { useCase } from './wiring.js';

export const USE_CASES = {
  decideTracking: useCase(DecideTracking),
  resolveIdentity: useCase(ResolveIdentity),
  queueMessages: useCase(QueueMessages),
  trackCommand: useCase(TrackCommand),
  deliverEvents: useCase(DeliverEvents),
  deliverInBackground: useCase(DeliverInBackground),
  flushEvents: useCase(FlushEvents),
  linkPendingLogin: useCase(LinkPendingLogin),
  login: useCase(Login),
  logout: useCase(Logout),
  whoami: useCase(Whoami),
  usageStatus: useCase(UsageStatus),
  setTracking: useCase(SetTracking),
  usageLog: useCase(UsageLog),
  authorizeArcade: useCase(AuthorizeArcade),
  accountContext: useCase(AccountContext),
  listWorkers: useCase(ListWorkers),
  setWorkerEnabled: useCase(SetWorkerEnabled),
  removeWorker: useCase(RemoveWorker),
  streamWorkerLogs: useCase(StreamWorkerLogs),
};

/** The use cases, built: what commands get through Clipanion's context. */
export type UseCases = { readonly [Name in keyof typeof USE_CASES]: InstanceType<(typeof USE_CASES)[Name]> };
