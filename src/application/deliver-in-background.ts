import { FLUSHER_HARD_LIMIT_MS } from '../domain/delivery-policy.js';
import { DeliverEvents } from './deliver-events.js';
import { LinkPendingLogin } from './link-pending-login.js';

/**
 * The detached delivery process's work: deliver in the background mode within what is left of
 * the hard limit, linking before each request a login whose principal a command left unknown, so
 * its alias goes out ahead of later events.
 */
export class DeliverInBackground {
  static readonly inject = [DeliverEvents, LinkPendingLogin] as const;

  constructor(
    private readonly deliverEvents: DeliverEvents,
    private readonly linkPendingLogin: LinkPendingLogin,
  ) {}

  /** `spentMs`: how long the process took to get here; `continuesBurst`: started by a run that handed over mid-burst. */
  async execute(spentMs: number, continuesBurst: boolean): Promise<void> {
    await this.deliverEvents.execute({
      kind: 'background',
      budgetMs: FLUSHER_HARD_LIMIT_MS - spentMs,
      continuesBurst,
      beforeRequest: () => this.linkPendingLogin.execute(),
    });
  }
}
