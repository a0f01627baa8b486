import { DELIVERED_LOG_LIMIT, type PendingEntry } from '../../domain/delivery-policy.js';
import { INITIAL_DELIVERY_STATE, type DeliveryState } from '../../domain/delivery-state.js';
import type { OutboundMessage } from '../../domain/usage-event.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { DeliveredRecord, DeliveryClaim, Outbox, PendingCount } from '../../domain/ports/outbox.js';

export class MemoryOutbox implements Outbox {
  entries: PendingEntry[] = [];
  /** Entries whose deletion fails (as a file in a read-only directory would). */
  undeletable = new Set<string>();
  /** How many claims were taken in all. */
  claims = 0;
  state: DeliveryState = INITIAL_DELIVERY_STATE;
  log: DeliveredRecord[] = [];
  /** Whether a delivery run holds the claim. */
  claimed = false;
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  async append(messages: readonly OutboundMessage[]): Promise<string> {
    return this.push(messages, 0);
  }

  async withdraw(id: string): Promise<void> {
    this.entries = this.entries.filter((entry) => entry.id !== id);
  }

  async recordSkipped(): Promise<void> {
    this.push([], 1);
  }

  async pendingCount(except: ReadonlySet<string> = new Set()): Promise<PendingCount> {
    const entries = this.entries.filter((entry) => !except.has(entry.id));
    return {
      messages: entries.reduce((sum, entry) => sum + entry.messages.length, 0),
      skippedRuns: entries.reduce((sum, entry) => sum + entry.skippedRuns, 0),
    };
  }

  async deliveryState(): Promise<DeliveryState> {
    return this.state;
  }

  async delivered(): Promise<DeliveredRecord[]> {
    return [...this.log];
  }

  async claimHeld(): Promise<boolean> {
    return this.claimed;
  }

  /** Waits on the clock, as the real one waits on the lock. */
  async claim(waitMs: number): Promise<DeliveryClaim | null> {
    for (let waited = 0; this.claimed && waited < waitMs; waited += 100) await this.clock.sleep(100);
    if (this.claimed) return null;
    this.claimed = true;
    this.claims += 1;
    return {
      state: this.state,
      entries: async () => [...this.entries],
      remove: async (ids) => {
        this.entries = this.entries.filter((entry) => !ids.includes(entry.id) || this.undeletable.has(entry.id));
        return ids.filter((id) => this.undeletable.has(id)).map((id) => ({ id, reason: 'permission denied' }));
      },
      recordDelivered: async (records) => {
        this.log = [...this.log, ...records].slice(-DELIVERED_LOG_LIMIT);
      },
      saveState: async (state) => {
        this.state = state;
      },
      clearAll: async () => {
        const count = this.messages().length;
        [this.entries, this.log, this.state] = [[], [], INITIAL_DELIVERY_STATE];
        return count;
      },
      release: async () => {
        this.claimed = false;
      },
    };
  }

  messages(): OutboundMessage[] {
    return this.entries.flatMap((entry) => entry.messages);
  }

  private push(messages: readonly OutboundMessage[], skippedRuns: number): string {
    this.sequence += 1;
    const id = `entry-${String(this.sequence).padStart(6, '0')}`;
    this.entries.push({ id, recordedAt: this.clock.now().toISOString(), messages: [...messages], skippedRuns });
    return id;
  }
}
