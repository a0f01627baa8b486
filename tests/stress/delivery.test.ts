/**
 * Issue "Delivery that never blocks, never loses, never doubles": the outbox and the single
 * background flusher, against a fake PostHog that goes away, stalls, throttles and refuses.
 */
import { describe, expect, it } from '@jest/globals';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import type { Sandbox } from '../support/sandbox.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, sandbox } = world), { awaitDeliveries: true });

/** Waits until a background delivery would be allowed to start again (the backoff has passed). */
async function waitForBackoffToPass(): Promise<void> {
  const next = (await sandbox.usageStatus()).nextAttemptAt as string | null;
  // The tests here make a few failures in a row: backoffs of seconds. Bounded well inside the test's own timeout.
  if (next) await pollUntil(() => (Date.now() >= Date.parse(next) ? true : undefined), 30_000, 'the backoff to pass', 50);
}

function expectExactlyOnce(uuids: readonly string[]): void {
  expect(new Set(uuids).size).toBe(uuids.length);
}

describe('offline, then back', () => {
  it('keeps every event while PostHog is unreachable and delivers each exactly once, with its own timestamp, when it returns', async () => {
    posthog.behaviour = { down: true };
    const started: string[] = [];
    for (let i = 0; i < 5; i++) {
      started.push(new Date().toISOString());
      const result = await sandbox.run(['usage', 'status']);
      expect(result).toExitWith(0);
    }
    await sandbox.waitForNoProcesses();
    expect((await sandbox.usageStatus()).pendingEvents).toBe(5);
    expect((await sandbox.usageStatus()).lastDelivery).toMatchObject({ result: 'failed' });

    posthog.behaviour = {};
    await waitForBackoffToPass();
    expect(await sandbox.run(['whoami'])).toExitWith(1);
    const events = await posthog.waitForEvents(6);
    await sandbox.waitForNoProcesses();
    expect(posthog.events).toHaveLength(6);
    expectExactlyOnce(posthog.events.map((event) => event.uuid));
    expect(events.map((event) => event.properties.command_name)).toEqual([
      'usage.status',
      'usage.status',
      'usage.status',
      'usage.status',
      'usage.status',
      'whoami',
    ]);
    events.slice(0, 5).forEach((event, i) => {
      // The run's own time, not the delivery's: each is no earlier than the moment its command started.
      expect(Date.parse(event.timestamp)).toBeGreaterThanOrEqual(Date.parse(started[i]) - 5);
      expect(Date.parse(event.timestamp)).toBeLessThan(Date.parse(started[i + 1] ?? events[5].timestamp));
    });
    expect((await sandbox.usageStatus()).pendingEvents).toBe(0);
  });
});

describe('a slow PostHog', () => {
  it('never holds up the command: it has exited long before PostHog answers', async () => {
    posthog.behaviour = { delayMs: 4000 };
    const result = await sandbox.run(['usage', 'status']);
    const exitedAt = Date.now();
    expect(result).toExitWith(0);
    const [event] = await posthog.waitForEvents(1, 15_000);
    // receivedAt is stamped after the 4 s delay: the command was done before PostHog had answered.
    expect(exitedAt).toBeLessThan(event.receivedAt);
  });
});

describe('PostHog refusing', () => {
  it('drops what PostHog rejects as invalid (400) instead of retrying it forever', async () => {
    posthog.behaviour = { status: 400 };
    for (let i = 0; i < 3; i++) await sandbox.run(['usage', 'status']);
    await sandbox.waitForNoProcesses();
    const rejectedRequests = posthog.requests.length;
    expect(rejectedRequests).toBeGreaterThan(0);
    const afterRejection = await sandbox.usageStatus();
    expect(afterRejection.pendingEvents).toBe(0);
    expect(afterRejection.droppedEvents).toBe(3);

    // PostHog accepts again: only the new event goes, carrying the count of what was dropped.
    posthog.behaviour = {};
    await sandbox.run(['usage', 'status']);
    const [event] = await posthog.waitForEvents(1);
    await sandbox.waitForNoProcesses();
    expect(posthog.events).toHaveLength(1);
    expect(event.properties.events_dropped).toBe(3);
    expect(posthog.requests.filter((request) => request.status === 400)).toHaveLength(rejectedRequests);
  });

  it('loses nothing to a 500, and `usage flush` delivers it in the foreground', async () => {
    posthog.behaviour = { status: 500 };
    await sandbox.run(['usage', 'status']);
    await sandbox.run(['usage', 'status']);
    await sandbox.waitForNoProcesses();
    expect((await sandbox.usageStatus()).pendingEvents).toBe(2);

    const failedFlush = await sandbox.run(['usage', 'flush'], { ARCADE_USAGE_TRACKING: '1' });
    expect(failedFlush).toExitWith(1);
    expect(failedFlush.stderr.split('\n')[0]).toMatch(
      /^Sent 0, kept 2, dropped 0 event\(s\)\. Last delivery: failed \(HTTP 500\)\.$/,
    );

    posthog.behaviour = {};
    const flush = await sandbox.run(['usage', 'flush']);
    expect(flush).toExitWith(0);
    // The failed flush recorded its own event too, and left a delivery waiting out the backoff: the
    // 2 + 1 pending events are sent by it or by this flush (which waits for it), all of them now.
    const sent = Number(/^Sent (\d), kept 0, dropped 0 event\(s\)\.\n$/.exec(flush.stdout)?.[1]);
    expect([0, 3]).toContain(sent);
    // The successful flush's own event follows in the background (it may already have arrived).
    expect(posthog.events.slice(0, 3).map((event) => event.properties.command_name)).toEqual([
      'usage.status',
      'usage.status',
      'usage.flush',
    ]);
    await posthog.waitForEvents(4);
    await sandbox.waitForNoProcesses();
    expectExactlyOnce(posthog.events.map((event) => event.uuid));
  });
});

describe('a PostHog that never answers', () => {
  it('leaves no background process behind after its hard limit, and keeps the event', async () => {
    posthog.behaviour = { hang: true };
    await sandbox.run(['usage', 'status']);
    await pollUntil(
      async () => (posthog.requests.length > 0 || (await sandbox.deliveryPids()).length > 0 ? true : undefined),
      5000,
      'a delivery to start',
    );
    await sandbox.waitForNoProcesses(12_000);
    expect((await sandbox.usageStatus()).pendingEvents).toBe(1);
  });
});
