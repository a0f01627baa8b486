import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { isProcessAlive } from './atomic-write.js';
import { removeFile } from './file-errors.js';
import { isLockHeld } from './file-lock.js';
import { OUTBOX_CLAIM } from './fs-outbox.js';
import type { StateDir } from './state-dir.js';
import { readStateFile } from './state-file.js';

/** A reservation this old was made for a process that died before it asked for the claim (start-up takes well under a second), whatever id it holds. */
const DELIVERY_START_STALE_MS = 5000;

/**
 * `usage-delivery.starting` in `.arcade/`: a command has just started a delivery process, so
 * commands that follow before that process asks for the outbox's claim start no other. It holds
 * the id of that process (of the command, until it has started one), so a dead one's reservation
 * is taken over at once. The delivery process ends it once it has asked for the claim.
 */
export class FsDeliveryStart {
  private readonly lockPath: string;
  private readonly startingPath: string;

  constructor(dir: StateDir) {
    this.lockPath = dir.file(OUTBOX_CLAIM);
    this.startingPath = dir.file('usage-delivery.starting');
  }

  /**
   * Makes this caller the one that starts a delivery process: false when a live delivery holds the
   * outbox's claim (a dead one's counts as free) or one is already starting.
   */
  async reserve(): Promise<boolean> {
    if (isLockHeld(this.lockPath)) return false;
    if (this.createReservation()) return true;
    // One is starting, unless the process it names (the command that reserved, then the delivery
    // process it started) has died before asking for the claim: that reservation is taken over at
    // once. Failing a process to ask, one older than start-up takes (or dated in the future, by a
    // wrong clock) is taken over too.
    let age: number;
    try {
      age = Date.now() - lstatSync(this.startingPath).mtimeMs;
    } catch (error) {
      // ENOENT: the delivery it was made for has just asked for the claim; that delivery covers our entry.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const starter = this.reservationStarter();
    const starterDied = starter !== null && !isProcessAlive(starter);
    // (The file's time has sub-millisecond precision and Date.now() has not: a reservation made this
    // very millisecond can look a fraction of one in the future, so only a second ahead counts as wrong.)
    if (!starterDied && age > -1000 && age < DELIVERY_START_STALE_MS) return false;
    removeFile(this.startingPath);
    return this.createReservation();
  }

  /** The process a reservation names; null when there is none to read (gone, or not a file of ours), and then its age decides. */
  private reservationStarter(): number | null {
    let text: string;
    try {
      text = readStateFile(this.startingPath, 64);
    } catch (error) {
      // Gone since (the delivery asked for the claim), or a link, FIFO, directory or large file put in its place.
      if (['ENOENT', 'ELOOP', 'EFTYPE', 'EISDIR', 'EFBIG'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
      throw error;
    }
    return Number(/^(\d{1,10})\n$/.exec(text)?.[1]) || null;
  }

  /** Names the process the reservation was made for, so one that dies before it asks for the claim is taken over at once. */
  async started(pid: number): Promise<void> {
    let fd: number;
    try {
      // The reservation as it is: never created again (the delivery may have asked for the claim and
      // ended it already), never written through a link, never blocking on a FIFO put there.
      fd = openSync(this.startingPath, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      // ENOENT: the delivery has asked for the claim already. ELOOP, ENXIO, EISDIR: a link, FIFO or
      // directory in its place, not ours to write; its age decides.
      if (['ENOENT', 'ELOOP', 'ENXIO', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
      throw error;
    }
    try {
      if (!fstatSync(fd).isFile()) return; // a FIFO with a reader: as above, not ours to write
      ftruncateSync(fd);
      writeSync(fd, `${pid}\n`);
    } finally {
      closeSync(fd);
    }
  }

  /** Creates `usage-delivery.starting`; false when it exists (O_EXCL, so never through a link either). */
  private createReservation(): boolean {
    try {
      writeFileSync(this.startingPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      // EEXIST: another command reserved first.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  /** Ends the reservation: the delivery has asked for the claim, or none could be started. */
  async end(): Promise<void> {
    removeFile(this.startingPath);
  }
}
