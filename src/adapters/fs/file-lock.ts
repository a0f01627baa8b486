import * as fs from 'node:fs';
import { AppError, path as filePath, text } from '../../domain/errors.js';

/** A lock whose holder was killed is taken over this long after its last refresh. */
export const LOCK_STALE_MS = 4000;
const LOCK_POLL_MS = 50;
/**
 * A lock dated further ahead than this is not a live holder's (proper-lockfile dates a lock up to
 * a second ahead, to the next whole second, where the file system keeps only seconds): a clock
 * that ran ahead left it, and it is stale at once rather than for as long as the clock was wrong.
 */
const LOCK_AHEAD_MS = 2000;

/**
 * The file system as proper-lockfile sees it: Node's own, except that a lock's date ahead of now
 * reads as stale. Made once, when a lock is first needed (proper-lockfile caches the file system's
 * time precision on this object).
 */
let lockFs: typeof fs | undefined;
function lockFileSystem(): typeof fs {
  lockFs ??= {
    ...fs,
    stat: ((target: string, callback: (error: NodeJS.ErrnoException | null, stats?: fs.Stats) => void) =>
      fs.stat(target, (error, stats) => {
        if (error || stats.mtimeMs <= Date.now() + LOCK_AHEAD_MS) return callback(error, stats);
        callback(null, Object.assign(stats, { mtime: new Date(0), mtimeMs: 0 }));
      })) as typeof fs.stat,
  };
  return lockFs;
}

export interface LockOptions {
  /** Keep trying for about this long (0: try once). */
  readonly waitMs: number;
}

/**
 * A cross-process lock on `path` (a `path.lock` directory, refreshed while held), taken over from a
 * dead holder after LOCK_STALE_MS. proper-lockfile is loaded only when a lock is needed.
 * Resolves to the release function, or null when another holder kept it for the whole wait. A
 * lock that cannot be made at all (a read-only or full file system, a file where the directory
 * should be) throws at once: waiting would not change the answer.
 */
export async function acquireLock(path: string, options: LockOptions): Promise<(() => Promise<void>) | null> {
  const { lock } = await import('proper-lockfile');
  const deadline = performance.now() + options.waitMs;
  let release: () => Promise<void>;
  // Our own fixed poll rather than proper-lockfile's retries: those retry every error, EROFS too,
  // and a randomised back-off gives up early, before a dead holder's lock goes stale.
  for (;;) {
    try {
      release = await lock(path, {
        realpath: false,
        stale: LOCK_STALE_MS,
        retries: 0,
        fs: lockFileSystem(),
        // Our critical sections last milliseconds; a lock compromised meanwhile (its refresh failed)
        // is no reason to crash the user's command, and the atomic writes keep the files whole.
        onCompromised: () => undefined,
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (performance.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
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

/** Whether a live process holds the lock on `path`, judged as acquireLock does: the lock directory exists, is fresh, and is not dated ahead. */
export function isLockHeld(path: string, staleMs = LOCK_STALE_MS): boolean {
  try {
    const age = Date.now() - fs.statSync(`${path}.lock`).mtimeMs;
    return age < staleMs && age >= -LOCK_AHEAD_MS;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // no lock directory: nobody holds it
    throw error;
  }
}
