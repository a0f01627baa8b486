import { statSync } from 'node:fs';
import { AppError, path as filePath, text } from '../../domain/errors.js';

/** A lock whose holder was killed is taken over this long after its last refresh. */
export const LOCK_STALE_MS = 4000;
const LOCK_POLL_MS = 50;

export interface LockOptions {
  /** Keep trying for about this long (0: try once). */
  readonly waitMs: number;
}

/**
 * A cross-process lock on `path` (a `path.lock` directory, refreshed while held), taken over from a
 * dead holder after LOCK_STALE_MS. proper-lockfile is loaded only when a lock is needed.
 * Resolves to the release function, or null when the lock could not be had in time.
 */
export async function acquireLock(path: string, options: LockOptions): Promise<(() => Promise<void>) | null> {
  const { lock } = await import('proper-lockfile');
  let release: () => Promise<void>;
  // A fixed poll, so the whole wait is really spent (randomised back-off gives up early, before a dead holder's lock goes stale).
  const attempts = Math.ceil(options.waitMs / LOCK_POLL_MS);
  try {
    release = await lock(path, {
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: attempts > 0 ? { retries: attempts, factor: 1, minTimeout: LOCK_POLL_MS, maxTimeout: LOCK_POLL_MS } : 0,
      // Our critical sections last milliseconds; a lock compromised meanwhile (its refresh failed)
      // is no reason to crash the user's command, and the atomic writes keep the files whole.
      onCompromised: () => undefined,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return null;
    throw error;
  }
  return async () => {
    try {
      await release();
    } catch (error) {
      // Already released, or taken over after going stale: either way nothing of ours is left to undo.
      if (!['ERELEASED', 'ECOMPROMISED', 'ENOTACQUIRED'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  };
}

/** Runs `action` under the lock; a lock that cannot be had within the wait is an AppError `busy`. */
export async function withLock<T>(path: string, waitMs: number, action: () => Promise<T>): Promise<T> {
  const release = await acquireLock(path, { waitMs });
  if (!release) throw new AppError('busy', text`${filePath(path)} is locked by another arcade process.`);
  try {
    return await action();
  } finally {
    await release();
  }
}

/** Whether a live process holds the lock on `path`, judged as proper-lockfile does: the lock directory exists and is fresh. */
export function isLockHeld(path: string, staleMs = LOCK_STALE_MS): boolean {
  try {
    const info = statSync(`${path}.lock`);
    return Date.now() - info.mtimeMs < staleMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // no lock directory: nobody holds it
    throw error;
  }
}
