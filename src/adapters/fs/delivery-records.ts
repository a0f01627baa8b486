/** The outbox's two records of past deliveries, `usage-delivery.json` and `usage-log.json`, to and from their JSON. */
import { DELIVERED_LOG_LIMIT, OUTBOX_MAX_EVENTS } from '../../domain/delivery-policy.js';
import { INITIAL_DELIVERY_STATE, type DeliveryState } from '../../domain/delivery-state.js';
import type { DeliveredRecord } from '../../domain/ports/outbox.js';
import { isRecord } from './json-file.js';

/** Anything unreadable in `usage-delivery.json` just means "no history" (field by field: a date must parse, a count be a whole number). */
export function parseDeliveryState(value: unknown): DeliveryState {
  if (!isRecord(value)) return INITIAL_DELIVERY_STATE;
  const text = (key: string) => (typeof value[key] === 'string' ? value[key] : null);
  const count = (key: string) => (Number.isSafeInteger(value[key]) && (value[key] as number) >= 0 ? (value[key] as number) : 0);
  const date = (key: string) => {
    const candidate = text(key);
    return candidate !== null && Number.isFinite(Date.parse(candidate)) ? candidate : null;
  };
  const result = text('last_result');
  return {
    lastAttemptAt: date('last_attempt_at'),
    lastResult: result === 'delivered' || result === 'failed' || result === 'rejected' ? result : null,
    lastDetail: text('last_detail'),
    consecutiveFailures: count('consecutive_failures'),
    nextAttemptAt: date('next_attempt_at'),
    droppedUnreported: count('dropped_unreported'),
    droppedTotal: count('dropped_total'),
    stuckEntries: Array.isArray(value.stuck_entries)
      ? value.stuck_entries.filter((id): id is string => typeof id === 'string').slice(-OUTBOX_MAX_EVENTS)
      : [],
    stuckReason: text('stuck_reason'),
    refusedKey: text('refused_key'),
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
    stuck_entries: state.stuckEntries,
    stuck_reason: state.stuckReason,
    refused_key: state.refusedKey,
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
