import type { DeliveryLock } from '../../domain/ports/delivery-lock.js';
import { acquireLock, isLockHeld } from './file-lock.js';
import type { StateDir } from './state-dir.js';

/** `usage-delivery.lock`: held by the one delivery run; a killed run's lock goes stale in seconds. */
export class FsDeliveryLock implements DeliveryLock {
  private readonly path: string;

  constructor(private readonly dir: StateDir) {
    this.path = dir.file('usage-delivery');
  }

  async tryAcquire(): Promise<(() => Promise<void>) | null> {
    await this.dir.ensure();
    const release = await acquireLock(this.path, { waitMs: 0 });
    if (!release) return null;
    return () => release().catch(() => undefined); // already released or taken over: nothing left to undo
  }

  isHeld(): Promise<boolean> {
    return isLockHeld(this.path);
  }
}
