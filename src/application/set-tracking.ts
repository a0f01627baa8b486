import { notAhead } from '../domain/timestamp.js';
import { FLUSHER_HARD_LIMIT_MS } from '../domain/delivery-policy.js';
import { AppError, text } from '../domain/errors.js';
import { Clock } from '../domain/ports/clock.js';
import { IdentityStore } from '../domain/ports/identity-store.js';
import { Outbox } from '../domain/ports/outbox.js';
import { SettingsStore } from '../domain/ports/settings-store.js';

/** How long `disable` waits for a running delivery to notice the choice and stop: a delivery process never lives longer. */
const DISABLE_WAIT_MS = FLUSHER_HARD_LIMIT_MS + 1000;

export type SetTrackingOutcome =
  | { readonly kind: 'enabled' }
  /** What disabling deleted: the pending events, and whether an anonymous id was forgotten. */
  | { readonly kind: 'disabled'; readonly deletedEvents: number; readonly forgotIdentity: boolean };

/**
 * `arcade usage enable|disable`. Disabling saves the choice and its time first (so a delivery run
 * checking it stops before its next request, and a command that decided before it takes its event
 * back), then takes the outbox's claim (waiting for such a run to end) and deletes every pending
 * event, the log of delivered events and the delivery history, then the anonymous id (under its
 * lock, where a command re-checks the choice before writing): nothing recorded before it is sent
 * afterwards, and a later `enable` starts afresh.
 */
export class SetTracking {
  static readonly inject = [SettingsStore, Outbox, IdentityStore, Clock] as const;

  constructor(
    private readonly settings: SettingsStore,
    private readonly outbox: Outbox,
    private readonly identities: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(choice: 'enabled' | 'disabled'): Promise<SetTrackingOutcome> {
    // The time of the last disable outlives a later enable: what was stamped before it is never sent.
    // A disable dated ahead (the clock ran ahead then) is brought back to now, or every event until
    // that date came would count as from before it.
    const previous = await this.settings.read();
    const now = this.clock.now();
    const lastDisable = previous.kind === 'chosen' && previous.disabledAt ? notAhead(previous.disabledAt, now) : null;
    const disabledAt = choice === 'disabled' ? now.toISOString() : lastDisable;
    await this.settings.write(choice, disabledAt);
    if (choice === 'enabled') return { kind: 'enabled' };
    const claim = await this.outbox.claim(DISABLE_WAIT_MS);
    if (!claim)
      throw new AppError(
        'busy',
        text`Usage tracking is disabled, but a delivery still holds the outbox; run \`arcade usage disable\` again to delete what it kept.`,
      );
    let deletedEvents: number;
    try {
      deletedEvents = await claim.clearAll();
    } finally {
      await claim.release();
    }
    const forgotIdentity = await this.identities.update((current) => ({ result: current !== null, next: null }));
    return { kind: 'disabled', deletedEvents, forgotIdentity };
  }
}
