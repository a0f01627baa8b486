import { INITIAL_DELIVERY_STATE, type DeliveryState } from '../../domain/delivery-state.js';
import type { DeliveryStateStore } from '../../domain/ports/delivery-state-store.js';
import { writeFileAtomic } from './atomic-write.js';
import { isRecord, readJsonFile } from './json-file.js';
import type { StateDir } from './state-dir.js';

/** `usage-delivery.json`; anything unreadable there just means "no history". */
export class FsDeliveryStateStore implements DeliveryStateStore {
  constructor(private readonly dir: StateDir) {}

  async read(): Promise<DeliveryState> {
    const read = await readJsonFile(this.dir.file('usage-delivery.json'));
    if (read.kind !== 'parsed' || !isRecord(read.value)) return INITIAL_DELIVERY_STATE;
    const value = read.value;
    const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : null);
    const count = (key: string) => (typeof value[key] === 'number' && (value[key] as number) >= 0 ? (value[key] as number) : 0);
    const result = text('last_result');
    return {
      lastAttemptAt: text('last_attempt_at'),
      lastResult: result === 'delivered' || result === 'failed' || result === 'rejected' ? result : null,
      lastDetail: text('last_detail'),
      consecutiveFailures: count('consecutive_failures'),
      nextAttemptAt: text('next_attempt_at'),
      droppedUnreported: count('dropped_unreported'),
      droppedTotal: count('dropped_total'),
    };
  }

  async write(state: DeliveryState): Promise<void> {
    await this.dir.ensure();
    const body = {
      last_attempt_at: state.lastAttemptAt,
      last_result: state.lastResult,
      last_detail: state.lastDetail,
      consecutive_failures: state.consecutiveFailures,
      next_attempt_at: state.nextAttemptAt,
      dropped_unreported: state.droppedUnreported,
      dropped_total: state.droppedTotal,
    };
    await writeFileAtomic(this.dir.file('usage-delivery.json'), `${JSON.stringify(body, null, 2)}\n`);
  }
}
