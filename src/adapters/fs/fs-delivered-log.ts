import { unlink } from 'node:fs/promises';
import { DELIVERED_LOG_LIMIT } from '../../domain/delivery-policy.js';
import type { DeliveredLog, DeliveredRecord } from '../../domain/ports/delivered-log.js';
import type { OutboundMessage } from '../../domain/usage-event.js';
import { writeFileAtomic } from './atomic-write.js';
import { isRecord, readJsonFile } from './json-file.js';
import type { StateDir } from './state-dir.js';

/** `usage-log.json`: the last 100 delivered events, exactly as they were sent. */
export class FsDeliveredLog implements DeliveredLog {
  private readonly path: string;

  constructor(private readonly dir: StateDir) {
    this.path = dir.file('usage-log.json');
  }

  async record(messages: readonly OutboundMessage[], deliveredAt: string): Promise<void> {
    const records = [...(await this.recent()), ...messages.map((message) => ({ message, deliveredAt }))].slice(
      -DELIVERED_LOG_LIMIT,
    );
    await this.dir.ensure();
    const body = records.map(({ message, deliveredAt: at }) => ({
      delivered_at: at,
      uuid: message.uuid,
      event: message.event,
      distinct_id: message.distinctId,
      timestamp: message.timestamp,
      properties: message.properties,
    }));
    await writeFileAtomic(this.path, `${JSON.stringify(body, null, 1)}\n`);
  }

  async recent(): Promise<DeliveredRecord[]> {
    const read = await readJsonFile(this.path);
    if (read.kind !== 'parsed' || !Array.isArray(read.value)) return [];
    return read.value.filter(isRecord).flatMap((raw) =>
      typeof raw.uuid === 'string' &&
      typeof raw.event === 'string' &&
      typeof raw.distinct_id === 'string' &&
      typeof raw.timestamp === 'string' &&
      typeof raw.delivered_at === 'string'
        ? [
            {
              deliveredAt: raw.delivered_at,
              message: {
                uuid: raw.uuid,
                event: raw.event,
                distinctId: raw.distinct_id,
                timestamp: raw.timestamp,
                properties: isRecord(raw.properties) ? raw.properties : {},
              },
            },
          ]
        : [],
    );
  }

  async clear(): Promise<void> {
    await unlink(this.path).catch(() => undefined); // no log is the goal
  }
}
