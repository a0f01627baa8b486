import { FLUSHER_HARD_LIMIT_MS } from '../domain/delivery-policy.js';
import { AppError } from '../domain/errors.js';
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
 * `arcade usage enable|disable`. Disabling saves the choice first (so a delivery run checking it
 * stops before its next request), then takes the outbox's claim (waiting for such a run to end)
 * and deletes every pending event, the log of delivered events and the delivery history, then the
 * anonymous id: nothing recorded before it is sent afterwards, and a later `enable` starts afresh.
 */
export class SetTracking {
  static readonly inject = [SettingsStore, Outbox, IdentityStore] as const;

  constructor(
    private readonly settings: SettingsStore,
    private readonly outbox: Outbox,
    private readonly identities: IdentityStore,
  ) {}

  async execute(choice: 'enabled' | 'disabled'): Promise<SetTrackingOutcome> {
    await this.settings.write(choice);
    if (choice === 'enabled') return { kind: 'enabled' };
    const claim = await this.outbox.claim(DISABLE_WAIT_MS);
    if (!claim)
      throw new AppError(
        'delivery-busy',
        'Usage tracking is disabled, but a delivery still holds the outbox; run `arcade usage disable` again to delete what it kept.',
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
