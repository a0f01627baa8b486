import { INITIAL_DELIVERY_STATE } from '../domain/delivery-state.js';
import type { DeliveredLog } from '../domain/ports/delivered-log.js';
import type { DeliveryStateStore } from '../domain/ports/delivery-state-store.js';
import type { IdentityStore } from '../domain/ports/identity-store.js';
import type { Outbox } from '../domain/ports/outbox.js';
import type { SettingsStore } from '../domain/ports/settings-store.js';

export type SetTrackingOutcome =
  | { readonly kind: 'enabled' }
  /** What disabling deleted: the pending events, and whether an anonymous id was forgotten. */
  | { readonly kind: 'disabled'; readonly deletedEvents: number; readonly forgotIdentity: boolean };

/**
 * `arcade usage enable|disable`. Disabling saves the choice first (so a delivery run checking it
 * stops before its next request), then deletes every pending event, the anonymous id, the local
 * log of delivered events and the delivery history (backoff included): nothing recorded before it
 * is sent afterwards, and a later `enable` starts afresh.
 */
export class SetTracking {
  constructor(
    private readonly settings: SettingsStore,
    private readonly outbox: Outbox,
    private readonly identities: IdentityStore,
    private readonly log: DeliveredLog,
    private readonly deliveryStates: DeliveryStateStore,
  ) {}

  async execute(choice: 'enabled' | 'disabled'): Promise<SetTrackingOutcome> {
    await this.settings.write(choice);
    if (choice === 'enabled') return { kind: 'enabled' };
    const deletedEvents = await this.outbox.clear();
    let forgotIdentity = false;
    await this.identities.update((current) => {
      forgotIdentity = current !== null;
      return null;
    });
    await this.log.clear();
    await this.deliveryStates.write(INITIAL_DELIVERY_STATE);
    return { kind: 'disabled', deletedEvents, forgotIdentity };
  }
}
