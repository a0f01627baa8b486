import type { OutboundMessage } from '../usage-event.js';

/** ARCADE_USAGE_DEBUG's output: what would have left the machine, and what went wrong in tracking. */
export abstract class DebugOutput {
  /** A message that would have been queued for PostHog, as one JSON line. */
  abstract message(message: OutboundMessage): void;
}
