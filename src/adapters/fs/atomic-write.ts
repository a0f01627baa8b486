import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeFileSync, type Dirent } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomHex } from '../system/random-id-source.js';
import { removeFile } from './file-errors.js';

const TEMP_MARKER = '.tmp-';

/**
 * Eight random hex digits that keep a file name apart from others. The names it goes into carry the
 * process id (temp files, which are also created with O_EXCL) or the wall and monotonic clocks
 * (outbox entries) as well, so it only has to separate names made at the same moment. From
 * `Math.random`, as message ids are (random-id-source.ts): nothing here needs to be secret.
 */
export function randomSuffix(): string {
  return randomHex(32);
}

/**
 * Writes a file so that readers see the old content or the new, never a torn one: a temp file in
 * the same directory (named after this process, so a dead one's leftovers can be recognised),
 * fsync, rename over the target; mode 0600. Synchronous, as this folder's I/O is (see state-file.ts).
 *
 * `durable: false` skips the fsync, for outbox entries only: a process killed at any point still
 * leaves the whole entry or none (the kernel keeps what was written), so only a power cut or a
 * kernel crash in the seconds before the kernel writes it back could lose one, and the fsync would
 * cost every tracked command a large share of what tracking may add (docs/performance.md).
 * The files that must survive anything (identity, settings, credentials, delivery state) keep it.
 */
export function writeFileAtomic(path: string, data: string, { durable = true }: { durable?: boolean } = {}): void {
  const temp = join(dirname(path), `.${basename(path)}${TEMP_MARKER}${process.pid}-${randomSuffix()}`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeFileSync(fd, data);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Best effort: the write's own error is the one to report, and a leftover temp file is swept later.
    }
    throw error;
  }
}

/** Deletes temp files left in `dir` and its subdirectories by processes that no longer run (killed mid-write). */
export function removeDeadTempFiles(dir: string): number {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0; // no directory, no leftovers
    throw error;
  }
  let removed = 0;
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (!entry.name.endsWith('.lock')) removed += removeDeadTempFiles(join(dir, entry.name));
      continue;
    }
    const match = /\.tmp-(\d+)-[0-9a-f]+$/.exec(entry.name);
    if (!match || isProcessAlive(Number(match[1]))) continue;
    if (removeFile(join(dir, entry.name))) removed += 1; // false: another sweeper got there first
  }
  return removed;
}

/** Whether a process with this id runs (one of another user's counts as running). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
