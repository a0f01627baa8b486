import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { PendingEntry } from '../../domain/delivery-policy.js';
import type { OutboundMessage } from '../../domain/usage-event.js';
import type { Outbox } from '../../domain/ports/outbox.js';
import { writeFileAtomic } from './atomic-write.js';
import { isRecord } from './json-file.js';
import type { StateDir } from './state-dir.js';

/**
 * `usage-outbox/`: one file per entry, written by atomic rename, so appending takes no lock and
 * an entry is wholly there or not at all. Names sort by wall clock, then by the machine-wide
 * monotonic clock, so entries list in the order they were written.
 */
export class FsOutbox implements Outbox {
  readonly path: string;

  constructor(private readonly dir: StateDir) {
    this.path = dir.file('usage-outbox');
  }

  append(messages: readonly OutboundMessage[]): Promise<void> {
    return this.write({ messages: messages.map(toWire) });
  }

  recordSkipped(): Promise<void> {
    return this.write({ messages: [], skipped_runs: 1 });
  }

  async list(): Promise<PendingEntry[]> {
    let names: string[];
    try {
      names = (await readdir(this.path)).filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort();
    } catch {
      return []; // no outbox directory yet: nothing pending
    }
    const entries: PendingEntry[] = [];
    for (const name of names) {
      let text: string;
      try {
        text = await readFile(join(this.path, name), 'utf8');
      } catch {
        continue; // deleted by a delivery run since the listing
      }
      entries.push(parseEntry(name, text));
    }
    return entries;
  }

  async remove(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => unlink(join(this.path, id)).catch(() => undefined))); // already gone is the goal
  }

  private async write(body: { messages: WireMessage[]; skipped_runs?: number }): Promise<void> {
    await this.dir.ensure();
    await mkdir(this.path, { recursive: true, mode: 0o700 });
    const now = new Date();
    const name = `${String(now.getTime()).padStart(15, '0')}-${String(process.hrtime.bigint()).padStart(20, '0')}-${randomBytes(4).toString('hex')}.json`;
    await writeFileAtomic(join(this.path, name), JSON.stringify({ recorded_at: now.toISOString(), ...body }));
  }

  async clear(): Promise<number> {
    const entries = await this.list();
    await this.remove(entries.map((entry) => entry.id));
    return entries.reduce((sum, entry) => sum + entry.messages.length, 0);
  }
}

interface WireMessage {
  uuid: string;
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp: string;
}

function toWire(message: OutboundMessage): WireMessage {
  return {
    uuid: message.uuid,
    event: message.event,
    distinct_id: message.distinctId,
    properties: { ...message.properties },
    timestamp: message.timestamp,
  };
}

/** An entry that cannot be read (which atomic writes should make impossible) lists as empty and ancient, so pruning removes it. */
function parseEntry(id: string, text: string): PendingEntry {
  const broken: PendingEntry = { id, recordedAt: new Date(0).toISOString(), messages: [], skippedRuns: 0 };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return broken;
  }
  if (!isRecord(body) || typeof body.recorded_at !== 'string' || !Array.isArray(body.messages)) return broken;
  const messages = body.messages.filter(isWireMessage).map((wire) => ({
    uuid: wire.uuid,
    event: wire.event,
    distinctId: wire.distinct_id,
    properties: wire.properties,
    timestamp: wire.timestamp,
  }));
  const skippedRuns = typeof body.skipped_runs === 'number' && body.skipped_runs > 0 ? body.skipped_runs : 0;
  return { id, recordedAt: body.recorded_at, messages, skippedRuns };
}

function isWireMessage(value: unknown): value is WireMessage {
  return (
    isRecord(value) &&
    typeof value.uuid === 'string' &&
    typeof value.event === 'string' &&
    typeof value.distinct_id === 'string' &&
    isRecord(value.properties) &&
    typeof value.timestamp === 'string'
  );
}
