import type { DeliveryState } from '../delivery-state.js';

/** `.arcade/usage-delivery.json`: how delivery has gone, for backoff and `usage status`. */
export interface DeliveryStateStore {
  read(): Promise<DeliveryState>;
  /** Written only by the one delivery run that holds the delivery lock. */
  write(state: DeliveryState): Promise<void>;
}

export const DeliveryStateStore = Symbol.for('DeliveryStateStore');
