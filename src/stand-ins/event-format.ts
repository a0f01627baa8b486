import type { CapturedEvent } from './fake-posthog.js';

/** A short form of a long id, enough to tell ids apart in a terminal. */
function short(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/** One event as a person wants to read it: when, what, as whom, which command, how long. */
export function formatEvent(event: CapturedEvent): string {
  const time = new Date(event.timestamp).toISOString().slice(11, 23);
  if (event.event === '$create_alias') {
    return `${time}  $create_alias            ${short(String(event.properties.alias))} (anonymous) -> ${event.distinct_id}`;
  }
  const anonymous = event.properties.$process_person_profile === false;
  const who = anonymous ? `${short(event.distinct_id)} (anonymous)` : event.distinct_id;
  const command = typeof event.properties.command_name === 'string' ? event.properties.command_name : '?';
  const duration = typeof event.properties.duration_ms === 'number' ? ` ${event.properties.duration_ms} ms` : '';
  const error =
    typeof event.properties.error_message === 'string'
      ? `  error: ${String(event.properties.error_code)}: ${event.properties.error_message}`
      : '';
  return `${time}  ${event.event.padEnd(23)}  ${command.padEnd(13)} as ${who}${duration}${error}`;
}
