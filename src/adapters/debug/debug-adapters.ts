/**
 * ARCADE_USAGE_DEBUG=1: every message that would go to PostHog is printed as one JSON line on
 * stderr instead, nothing is queued or sent, and the identity file is not changed (so no alias is
 * "used up" by a debug run that never sent it).
 */
import type { PendingEntry } from '../../domain/delivery-policy.js';
import type { Identity } from '../../domain/identity.js';
import type { OutboundMessage } from '../../domain/usage-event.js';
import type { AnalyticsSink, SendResult } from '../../domain/ports/analytics-sink.js';
import type { BackgroundRunner } from '../../domain/ports/background-runner.js';
import type { IdentityStore } from '../../domain/ports/identity-store.js';
import type { Outbox } from '../../domain/ports/outbox.js';

export type LineWriter = (line: string) => void;

function debugLine(message: OutboundMessage): string {
  return JSON.stringify({
    event: message.event,
    distinct_id: message.distinctId,
    uuid: message.uuid,
    timestamp: message.timestamp,
    properties: message.properties,
  });
}

/** Prints what would be queued; shows nothing pending; still deletes for real when asked to clear (an opt-out). */
export class PrintingOutbox implements Outbox {
  constructor(
    private readonly real: Outbox,
    private readonly write: LineWriter,
  ) {}

  async append(messages: readonly OutboundMessage[]): Promise<void> {
    for (const message of messages) this.write(debugLine(message));
  }

  async recordSkipped(): Promise<void> {}

  async list(): Promise<PendingEntry[]> {
    return [];
  }

  async remove(): Promise<void> {}

  clear(): Promise<number> {
    return this.real.clear();
  }
}

export class PrintingSink implements AnalyticsSink {
  constructor(private readonly write: LineWriter) {}

  async send(messages: readonly OutboundMessage[]): Promise<SendResult> {
    for (const message of messages) this.write(debugLine(message));
    return { kind: 'accepted' };
  }
}

/** Reads the real identity; keeps changes in memory for this process only, except forgetting it (an opt-out is never a dry run). */
export class DryRunIdentityStore implements IdentityStore {
  private overlay: { identity: Identity | null } | null = null;

  constructor(private readonly real: IdentityStore) {}

  async read(): Promise<Identity | null> {
    return this.overlay ? this.overlay.identity : this.real.read();
  }

  async update(change: (current: Identity | null) => Identity | null): Promise<Identity | null> {
    this.overlay = { identity: change(await this.read()) };
    if (this.overlay.identity === null) await this.real.update(() => null);
    return this.overlay.identity;
  }
}

export class NoBackgroundRunner implements BackgroundRunner {
  startDelivery(): void {}
}
