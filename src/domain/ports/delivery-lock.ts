/** Makes sure at most one delivery run (background or `usage flush`) works on the outbox at a time. */
export interface DeliveryLock {
  /** Takes the lock without waiting; resolves to a release function, or null when someone else holds it. */
  tryAcquire(): Promise<(() => Promise<void>) | null>;
  /** Whether a live delivery run holds it now (a dead one's lock counts as free). Cheap: on the command's path. */
  isHeld(): Promise<boolean>;
}

export const DeliveryLock = Symbol.for('DeliveryLock');
