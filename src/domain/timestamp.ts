/**
 * A date in ISO 8601 UTC, exactly as `Date.prototype.toISOString` writes it, built from the UTC
 * fields for the years 1000-9999. V8's own `toISOString` is slow on its first call in a process,
 * and every tracked command makes that call (the event's timestamp) after its output (the cost is
 * in docs/performance.md). Any other year, and an invalid date (a RangeError), is left to
 * `toISOString`.
 */
export function isoTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  const ms = date.getUTCMilliseconds();
  return `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

/**
 * A stored date as arcade may rely on it: one ahead of `now` (left by a clock that ran ahead and was
 * corrected since, or by a hand edit) is taken as `now`, so a wrong clock never holds anything back
 * for longer than the right one would. A date that does not parse is returned as it is, for the
 * caller's own rule.
 */
export function notAhead(date: string, now: Date): string {
  return Date.parse(date) > now.getTime() ? isoTimestamp(now) : date;
}
