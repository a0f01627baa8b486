import type { DebugOutput } from '../../domain/ports/debug-output.js';
import type { OutboundMessage } from '../../domain/usage-event.js';

/** ARCADE_USAGE_DEBUG=1: each message that would have been queued for PostHog, as one JSON line on stderr. */
export class StderrDebugOutput implements DebugOutput {
  constructor(private readonly stderr: NodeJS.WritableStream) {}

  message(message: OutboundMessage): void {
    const line = {
      event: message.event,
      distinct_id: message.distinctId,
      uuid: message.uuid,
      timestamp: message.timestamp,
      properties: message.properties,
    };
    this.stderr.write(`${JSON.stringify(line)}\n`);
  }
}
