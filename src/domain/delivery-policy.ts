/** How pending events are bounded, batched and retried. Pure decisions over plain data. */
import { notAhead } from './timestamp.js';
import { EVENT_ALIAS, type OutboundMessage } from './usage-event.js';

export const OUTBOX_MAX_EVENTS = 1000;
export const OUTBOX_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** One request to PostHog carries at most this many messages. */
export const BATCH_MAX_MESSAGES = 100;
/** The background flusher's own hard limit; it exits by then whatever the network does. */
export const FLUSHER_HARD_LIMIT_MS = 9000;
/**
 * How long one request to PostHog may take, its answer read whole: a PostHog answering in just
 * under 5 s still counts, with a second to spare on a busy machine, and a request still fits the
 * hard limit after start-up and a second's linger.
 */
export const REQUEST_TIMEOUT_MS = 6000;
/** A background delivery waits this long after a request for more events before it ends: a burst's commands share a request. */
export const DELIVERY_LINGER_MS = 1000;
/**
 * In a burst (a linger that gathered several command runs, or a successor's first request),
 * requests are at least this far apart, so a burst makes about one request per 3 s however slow
 * each command is, and an event still waits about this long at most. Fits a successor's first
 * request into its sending window (hard limit less the request timeout) with a second to spare
 * for its start.
 */
export const BURST_SPACING_MS = 3000;
/**
 * Whether what a linger gathered is a burst: two command runs or more. One is a person, or a script
 * that waits between commands, and goes at once. (An alias queued on its own, by `login`, belongs to
 * the run whose event follows it.)
 */
export function isBurst(gathered: readonly PendingEntry[]): boolean {
  return gathered.filter((entry) => entry.messages.some((message) => message.event !== EVENT_ALIAS)).length >= 2;
}
/** How often a delivery that pauses re-reads the user's choice, so an opt-out never waits on a pause. */
export const PAUSE_CHECK_MS = 500;
/** The shortest request worth making: a delivery that waited out a backoff sends with what time is left, at least this. */
export const MIN_REQUEST_TIMEOUT_MS = 2000;
/**
 * A background delivery waits out a backoff ending within this long (leaving a second to start and
 * time for a short request), so the command that finds delivery backing off still leaves a
 * delivery behind, and events never stall until some later command.
 */
export const BACKOFF_WAITED_OUT_MS = FLUSHER_HARD_LIMIT_MS - MIN_REQUEST_TIMEOUT_MS - 1000;
/** The property that carries the count of dropped events on the next delivered event. */
export const EVENTS_DROPPED_PROPERTY = 'events_dropped';
/** How many delivered events `arcade usage log` keeps. */
export const DELIVERED_LOG_LIMIT = 100;
/** How long `arcade usage flush` may take in all. */
export const FOREGROUND_FLUSH_LIMIT_MS = 15_000;

/** What one command run left in the outbox: its messages, written together (an alias and the event it precedes). */
export interface PendingEntry {
  readonly id: string;
  readonly recordedAt: string;
  readonly messages: readonly OutboundMessage[];
  /** Runs that went untracked because the identity file stayed locked; counted as dropped. */
  readonly skippedRuns: number;
  /**
   * Messages the entry holds (or its name says it holds) that could not be read: a message not of
   * arcade's shape, or the whole entry when it is not JSON or far too large. Never sent; counted as
   * dropped when the entry is finished with.
   */
  readonly unreadable?: number;
}

/** How many messages finishing with these entries drops unsent: the unreadable ones. */
export function unreadableCount(entries: readonly PendingEntry[]): number {
  return entries.reduce((sum, entry) => sum + (entry.unreadable ?? 0), 0);
}

export interface PrunePlan {
  readonly keep: readonly PendingEntry[];
  readonly drop: readonly PendingEntry[];
  readonly droppedMessages: number;
}

/** Drops entries older than 30 days, then the oldest until at most 1,000 messages remain. Entries are oldest first. */
export function planPrune(entries: readonly PendingEntry[], now: Date): PrunePlan {
  const cutoff = now.getTime() - OUTBOX_MAX_AGE_MS;
  // Every entry is either fresh or dropped: a date that does not parse (NaN) counts as too old.
  const fresh = entries.filter((entry) => Date.parse(entry.recordedAt) >= cutoff);
  const drop = entries.filter((entry) => !(Date.parse(entry.recordedAt) >= cutoff));
  let total = fresh.reduce((sum, entry) => sum + entry.messages.length, 0);
  let first = 0;
  while (total > OUTBOX_MAX_EVENTS && first < fresh.length) {
    total -= fresh[first].messages.length;
    drop.push(fresh[first]);
    first += 1;
  }
  return {
    keep: fresh.slice(first),
    drop,
    droppedMessages: drop.reduce((sum, entry) => sum + entry.messages.length, 0) + unreadableCount(drop),
  };
}

/**
 * Whether an entry belongs to a run from before the last `arcade usage disable` (`discardBefore`):
 * such an entry is deleted unsent and uncounted, as the disable promised. A disable dated ahead of
 * now was stamped by a clock that ran ahead and cannot order anything (taken as now, it would
 * discard every event until that date came), so, like one that does not parse, it discards nothing.
 */
export function predatesDisable(entry: PendingEntry, discardBefore: string | null, now: Date): boolean {
  const limit = discardBefore === null ? NaN : Date.parse(discardBefore);
  if (!(limit <= now.getTime())) return false;
  return Date.parse(entry.recordedAt) < limit || entry.messages.some((message) => Date.parse(message.timestamp) < limit);
}

/** Groups whole entries (an alias stays with its event) into batches of at most BATCH_MAX_MESSAGES messages. */
export function planBatches(entries: readonly PendingEntry[]): PendingEntry[][] {
  const batches: PendingEntry[][] = [];
  let current: PendingEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    if (size > 0 && size + entry.messages.length > BATCH_MAX_MESSAGES) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entry.messages.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** After n consecutive failed runs, wait 2 s, 4 s, 8 s … up to 10 minutes before the next. */
export function retryDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(2000 * 2 ** (consecutiveFailures - 1), MAX_RETRY_DELAY_MS);
}

/** The longest backoff: a recorded next attempt further away than this is not ours (a wrong clock, a hand edit). */
export const MAX_RETRY_DELAY_MS = 10 * 60 * 1000;

/**
 * How long to wait before the next run after `consecutiveFailures` failed runs: the backoff, or
 * longer when PostHog said so (`Retry-After`), never beyond the longest backoff.
 */
export function nextAttemptDelayMs(consecutiveFailures: number, retryAfterMs = 0): number {
  return Math.max(retryDelayMs(consecutiveFailures), Math.min(retryAfterMs, MAX_RETRY_DELAY_MS));
}

/**
 * Worth another try later: timeouts, throttling, server errors, and 413 (a size limit on PostHog's
 * side or a proxy's: posthog-node halves a batch down to one message before it gives up, and one
 * command's event is a few hundred bytes, so the fault is not the event's), and a redirect (not
 * followed: PostHog's capture API does not redirect, so whatever answered was not PostHog). Any
 * other 4xx means the batch is invalid.
 */
export function isRetryableStatus(status: number): boolean {
  return status < 400 || status === 408 || status === 413 || status === 429 || status >= 500;
}

/**
 * What one request carries for `batch`: its messages, each stamped no later than `now` (a clock
 * that ran ahead when it was recorded), and the count of `dropped` events riding on the first
 * command event, whose uuid is `carrier` (undefined when none rides).
 */
export function requestMessages(
  batch: readonly PendingEntry[],
  dropped: number,
  now: Date,
): { readonly messages: OutboundMessage[]; readonly carrier: string | undefined } {
  const messages = batch.flatMap((entry) =>
    entry.messages.map((message) => ({ ...message, timestamp: notAhead(message.timestamp, now) })),
  );
  const index = dropped > 0 ? messages.findIndex((message) => message.event !== EVENT_ALIAS) : -1;
  if (index < 0) return { messages, carrier: undefined };
  const carrier = messages[index];
  messages[index] = { ...carrier, properties: { ...carrier.properties, [EVENTS_DROPPED_PROPERTY]: dropped } };
  return { messages, carrier: carrier.uuid };
}
