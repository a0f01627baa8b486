/** The outbox's two records of past deliveries, `usage-delivery.json` and `usage-log.json`, to and from their JSON. */
import { DELIVERED_LOG_LIMIT } from '../../domain/delivery-policy.js';
import { INITIAL_DELIVERY_STATE, type DeliveryState } from '../../domain/delivery-state.js';
import type { DeliveredRecord } from '../../domain/ports/outbox.js';
import { isRecord } from './json-file.js';

/** Anything unreadable in `usage-delivery.json` just means "no history". */
export function parseDeliveryState(value: unknown): DeliveryState {
  if (!isRecord(value)) return INITIAL_DELIVERY_STATE;
  const text = (key: string) => (typeof value[key] === 'string' ? value[key] : null);
  const count = (key: string) => (typeof value[key] === 'number' && value[key] >= 0 ? value[key] : 0);
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

export function serializeDeliveryState(state: DeliveryState): string {
  const body = {
    last_attempt_at: state.lastAttemptAt,
    last_result: state.lastResult,
    last_detail: state.lastDetail,
    consecutive_failures: state.consecutiveFailures,
    next_attempt_at: state.nextAttemptAt,
    dropped_unreported: state.droppedUnreported,
    dropped_total: state.droppedTotal,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** `usage-log.json`: `[{delivered_at, message}]`, each message the exact object PostHog received. */
export function parseDeliveredLog(value: unknown): DeliveredRecord[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isRecord)
    .flatMap((raw) =>
      typeof raw.delivered_at === 'string' && isRecord(raw.message) ? [{ deliveredAt: raw.delivered_at, wire: raw.message }] : [],
    );
}

export function serializeDeliveredLog(records: readonly DeliveredRecord[]): string {
  const body = records.slice(-DELIVERED_LOG_LIMIT).map((record) => ({ delivered_at: record.deliveredAt, message: record.wire }));
  return `${JSON.stringify(body, null, 1)}\n`;
}
