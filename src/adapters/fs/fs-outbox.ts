import { lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PendingEntry } from '../../domain/delivery-policy.js';
import { INITIAL_DELIVERY_STATE, type DeliveryState } from '../../domain/delivery-state.js';
import { isoTimestamp } from '../../domain/timestamp.js';
import type { OutboundMessage } from '../../domain/usage-event.js';
import type { DeliveredRecord, DeliveryClaim, Outbox, PendingCount, Unremoved } from '../../domain/ports/outbox.js';
import { randomSuffix, writeFileAtomic } from './atomic-write.js';
import { parseDeliveredLog, parseDeliveryState, serializeDeliveredLog, serializeDeliveryState } from './delivery-records.js';
import { acquireLock, isLockHeld } from './file-lock.js';
import { isRecord, readJsonFile } from './json-file.js';
import { aboutFile, removeFile } from './file-errors.js';
import type { StateDir } from './state-dir.js';
import { fileErrorReason } from '../../domain/errors.js';
import { readStateFile } from './state-file.js';

/** An entry is one command's messages, well under a kilobyte; anything far larger is not ours. */
const ENTRY_MAX_BYTES = 64 * 1024;
/** An entry's name ends with its counts: `…-m2s0.json` holds 2 messages and 0 skipped runs. */
const COUNTS_IN_NAME = /-m(\d{1,4})s(\d{1,4})\.json$/;

/**
 * The outbox in `.arcade/`: `usage-outbox/` holds one file per entry, written by atomic rename,
 * so appending takes no lock and an entry is wholly there or not at all (names sort by wall clock,
 * then by the machine-wide monotonic clock, so entries list in the order they were written, and
 * end with the entry's counts, so counting what is pending reads no file).
 * `usage-delivery.lock` is the claim (OUTBOX_CLAIM); `usage-delivery.json` and `usage-log.json`
 * are written only under it.
 */
/** The claim's lock, by its path in the state directory (the delivery start's reservation checks it too). */
export const OUTBOX_CLAIM = 'usage-delivery';

export class FsOutbox implements Outbox {
  readonly path: string;
  private readonly lockPath: string;
  private readonly statePath: string;
  private readonly logPath: string;

  constructor(private readonly dir: StateDir) {
    this.path = dir.file('usage-outbox');
    this.lockPath = dir.file(OUTBOX_CLAIM);
    this.statePath = dir.file('usage-delivery.json');
    this.logPath = dir.file('usage-log.json');
  }

  append(messages: readonly OutboundMessage[]): Promise<string> {
    return this.write({ messages: messages.map(toWire) });
  }

  async withdraw(id: string): Promise<void> {
    removeFile(join(this.path, id)); // false: a disable or a delivery removed it first
  }

  async recordSkipped(): Promise<void> {
    await this.write({ messages: [], skipped_runs: 1 });
  }

  /** From the entries' names alone (each names its counts), so a full outbox costs one directory listing. */
  async pendingCount(except: ReadonlySet<string> = new Set()): Promise<PendingCount> {
    const count = { messages: 0, skippedRuns: 0 };
    for (const name of this.entryNames().filter((name) => !except.has(name))) {
      const counted = COUNTS_IN_NAME.exec(name);
      // A file in the outbox named otherwise is not an entry of arcade's (the delivery prunes it): it counts as one.
      count.messages += counted ? Number(counted[1]) : 1;
      count.skippedRuns += counted ? Number(counted[2]) : 0;
    }
    return count;
  }

  async deliveryState(): Promise<DeliveryState> {
    const read = readJsonFile(this.statePath);
    return read.kind === 'parsed' ? parseDeliveryState(read.value) : INITIAL_DELIVERY_STATE;
  }

  async claimHeld(): Promise<boolean> {
    return isLockHeld(this.lockPath);
  }

  async delivered(): Promise<DeliveredRecord[]> {
    const read = readJsonFile(this.logPath);
    return read.kind === 'parsed' ? parseDeliveredLog(read.value) : [];
  }

  async claim(waitMs: number): Promise<DeliveryClaim | null> {
    await this.dir.ensure();
    const release = await acquireLock(this.lockPath, { waitMs });
    if (!release) return null;
    const state = await this.deliveryState();
    return {
      state,
      entries: async () => this.entries(),
      remove: async (ids) => this.remove(ids),
      recordDelivered: async (records) => {
        writeFileAtomic(this.logPath, serializeDeliveredLog([...(await this.delivered()), ...records]));
      },
      saveState: async (next) => writeFileAtomic(this.statePath, serializeDeliveryState(next)),
      clearAll: async () => {
        const entries = this.entries();
        // An opt-out deletes all it can, but must not say "deleted" for what it could not: the first failure is the error.
        const paths = [...entries.map((entry) => join(this.path, entry.id)), this.logPath, this.statePath];
        const failures = paths.flatMap((path) => {
          try {
            removeFile(path);
            return [];
          } catch (error) {
            return [error];
          }
        });
        if (failures.length > 0) throw failures[0];
        return entries.reduce((sum, entry) => sum + entry.messages.length, 0);
      },
      release,
    };
  }

  private entries(): PendingEntry[] {
    const entries: PendingEntry[] = [];
    for (const name of this.entryNames()) {
      const text = this.readEntryText(name);
      if (text !== null) entries.push(parseEntry(name, text));
    }
    return entries;
  }

  /** The entries' file names, oldest first. Only regular files are entries: a FIFO, directory or link named like one is not ours to read or delete. */
  private entryNames(): string[] {
    if (!this.outboxDirectoryExists()) return [];
    return readdirSync(this.path, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  }

  /** An entry's text; null when it was deleted since the listing, '' when it is no longer a file of ours (listed as broken, so it is pruned). */
  private readEntryText(name: string): string | null {
    try {
      return readStateFile(join(this.path, name), ENTRY_MAX_BYTES);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null; // delivered and deleted since the listing
      if (code === 'EACCES' || code === 'EPERM') throw aboutFile(error, join(this.path, name));
      return ''; // swapped for a link, a FIFO or a huge file since the listing
    }
  }

  /**
   * Whether `usage-outbox/` exists, as a real directory: a symbolic link there is refused, so
   * nothing is ever listed, written or deleted in whatever directory it points at.
   */
  private outboxDirectoryExists(): boolean {
    try {
      const info = lstatSync(this.path);
      if (info.isDirectory()) return true;
      const code = info.isSymbolicLink() ? 'ELOOP' : 'ENOTDIR';
      throw Object.assign(new Error(`${code}: not a directory of arcade's own, scandir '${this.path}'`), {
        code,
        syscall: 'scandir',
        path: this.path,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // nothing appended yet
      throw error;
    }
  }

  private remove(ids: readonly string[]): Unremoved[] {
    if (ids.length === 0 || !this.outboxDirectoryExists()) return [];
    const unremoved: Unremoved[] = [];
    for (const id of ids) {
      try {
        removeFile(join(this.path, id));
      } catch (error) {
        // Reported to the delivery, which keeps the entry's ids so it is never sent twice.
        unremoved.push({ id, reason: fileErrorReason((error as NodeJS.ErrnoException).code, 'delete') });
      }
    }
    return unremoved;
  }

  private async write(body: { messages: WireEntryMessage[]; skipped_runs?: number }): Promise<string> {
    await this.dir.ensure();
    if (!this.outboxDirectoryExists()) mkdirSync(this.path, { recursive: true, mode: 0o700 });
    const now = new Date();
    const counts = `m${body.messages.length}s${body.skipped_runs ?? 0}`;
    const name = `${String(now.getTime()).padStart(15, '0')}-${String(process.hrtime.bigint()).padStart(20, '0')}-${randomSuffix()}-${counts}.json`;
    // Not fsynced: see writeFileAtomic.
    writeFileAtomic(join(this.path, name), JSON.stringify({ recorded_at: isoTimestamp(now), ...body }), { durable: false });
    return name;
  }
}

/** A message as an outbox entry stores it (our own shape, before the PostHog client adds its properties). */
interface WireEntryMessage {
  uuid: string;
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp: string;
}

function toWire(message: OutboundMessage): WireEntryMessage {
  return {
    uuid: message.uuid,
    event: message.event,
    distinct_id: message.distinctId,
    properties: { ...message.properties },
    timestamp: message.timestamp,
  };
}

/**
 * An entry as the delivery sees it. One that cannot be read (which atomic writes should make
 * impossible: a hand edit, a disk error, a file far too large), or is not named as arcade names its
 * entries, lists as holding nothing readable, as many unreadable messages as its name says (at
 * least one), so the delivery drops and counts it.
 */
function parseEntry(id: string, text: string): PendingEntry {
  const counted = COUNTS_IN_NAME.exec(id);
  const namedCount = counted ? Number(counted[1]) + Number(counted[2]) : 0;
  const broken: PendingEntry = {
    id,
    recordedAt: new Date(0).toISOString(),
    messages: [],
    skippedRuns: 0,
    unreadable: Math.max(namedCount, 1),
  };
  // Named without its counts, it is not an entry arcade wrote.
  if (!counted) return broken;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return broken; // not JSON: listed as broken, so the next delivery prunes it
  }
  if (!isRecord(body) || !Array.isArray(body.messages)) return broken;
  // A date that does not parse falls back to the time in the entry's name (which arcade wrote); failing that, broken.
  const recordedAt = isDate(body.recorded_at) ? body.recorded_at : timeFromName(id);
  if (recordedAt === null) return broken;
  const messages = body.messages.filter(isEntryMessage).map((wire) => ({
    uuid: wire.uuid,
    event: wire.event,
    distinctId: wire.distinct_id,
    properties: wire.properties,
    timestamp: wire.timestamp,
  }));
  const skippedRuns = typeof body.skipped_runs === 'number' && body.skipped_runs > 0 ? body.skipped_runs : 0;
  const unreadable = body.messages.length - messages.length;
  return { id, recordedAt, messages, skippedRuns, ...(unreadable > 0 ? { unreadable } : {}) };
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

/** Entry names start with the wall-clock time they were written, in milliseconds. */
function timeFromName(name: string): string | null {
  const match = /^(\d{15})-/.exec(name);
  const time = match ? Number(match[1]) : NaN;
  return Number.isFinite(time) && time > 0 && time < 8.64e15 ? new Date(time).toISOString() : null;
}

function isEntryMessage(value: unknown): value is WireEntryMessage {
  return (
    isRecord(value) &&
    typeof value.uuid === 'string' &&
    typeof value.event === 'string' &&
    typeof value.distinct_id === 'string' &&
    isRecord(value.properties) &&
    isDate(value.timestamp)
  );
}
