import type { OutboundMessage } from '../../domain/usage-event.js';
import type { DebugOutput } from '../../domain/ports/debug-output.js';

export class MemoryDebugOutput implements DebugOutput {
  readonly messages: OutboundMessage[] = [];

  message(message: OutboundMessage): void {
    this.messages.push(message);
  }
}
