import { AppError } from '../domain/errors.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { DecideTracking } from './decide-tracking.js';
import { QueueMessages } from './queue-messages.js';
import { ResolveIdentity } from './resolve-identity.js';

/** How long the background delivery gives a principal lookup: nobody waits on it there, and it leaves time to deliver. */
export const BACKGROUND_LOOKUP_TIMEOUT_MS = 6000;

/**
 * Run by the background delivery before it delivers: when credentials appeared by another way
 * (today's Python CLI logged in, ARCADE_API_KEY, a file copied in) and their principal is not
 * known, it is looked up here, where no command waits, and the identity linked; the alias is
 * queued ahead of every later event, and the events of the runs that left the lookup pending
 * (under the anonymous id it aliases, person processing on) are merged into the account by it.
 */
export class LinkPendingLogin {
  static readonly inject = [DecideTracking, CredentialsStore, ResolveIdentity, QueueMessages] as const;

  constructor(
    private readonly decideTracking: DecideTracking,
    private readonly credentials: CredentialsStore,
    private readonly resolveIdentity: ResolveIdentity,
    private readonly queue: QueueMessages,
  ) {}

  async execute(): Promise<void> {
    const decision = await this.decideTracking.execute();
    if (!decision.enabled || decision.debug) return;
    // Credentials written a moment ago are most likely a login still running, which links them
    // itself (one lookup per login): they are left to a later request, once they have settled.
    if (!(await this.credentials.settled())) return;
    let resolution;
    try {
      resolution = await this.resolveIdentity.execute({
        atStart: null,
        lookupNow: true,
        lookupTimeoutMs: BACKGROUND_LOOKUP_TIMEOUT_MS,
      });
    } catch (error) {
      // An expected failure (the identity file locked, unreadable credentials): the next delivery tries again; this one delivers as it is.
      if (error instanceof AppError) return;
      throw error;
    }
    if (resolution?.alias) await this.queue.execute([resolution.alias], decision, 'caller');
  }
}
