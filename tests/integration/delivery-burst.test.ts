/**
 * A burst of commands shares delivery requests and delivery processes (in its own file, so it runs
 * beside delivery.test.ts rather than after it).
 */
import { describe, expect, it } from '@jest/globals';
import { BURST_SPACING_MS } from '../../src/domain/delivery-policy.js';
import type { Sandbox } from '../support/sandbox.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, sandbox } = world), { awaitDeliveries: true });

function expectExactlyOnce(uuids: readonly string[]): void {
  expect(new Set(uuids).size).toBe(uuids.length);
}

/** Samples the delivery processes alive, until `stop`: the most seen at once, and how many there were in all. */
function sampleDeliveries(): { stop: () => Promise<{ peak: number; started: number }> } {
  let peak = 0;
  const pids = new Set<number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const alive = await sandbox.deliveryPids();
      peak = Math.max(peak, alive.length);
      for (const pid of alive) pids.add(pid);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    stop: async () => {
      sampling = false;
      await sampler;
      return { peak, started: pids.size };
    },
  };
}

describe('a burst of commands', () => {
  it('delivers 40 commands exactly once, in requests 3 s apart once the burst is under way (however slow each command), with at most 2 delivery processes alive at once (one, and its successor as it hands over)', async () => {
    posthog.behaviour = { delayMs: 300 };
    const sampler = sampleDeliveries();
    const started = Date.now();
    for (let i = 0; i < 40; i++) expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    await posthog.waitForEvents(40, 30_000);
    await sandbox.waitForNoProcesses();
    const { peak } = await sampler.stop();
    expect(posthog.events).toHaveLength(40);
    expectExactlyOnce(posthog.events.map((event) => event.uuid));
    // The first request at once, the next a second later, then one per spacing (across successors too): so however
    // slow the machine, a request carries a spacing's commands.
    expect(posthog.requests.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / BURST_SPACING_MS) + 3);
    const gaps = posthog.requests.slice(1).map((request, i) => request.receivedAt - posthog.requests[i].receivedAt);
    expect(gaps.slice(1).filter((gap) => gap < BURST_SPACING_MS - 100)).toEqual([]);
    expect(posthog.requests.length).toBeLessThan(40);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('20 commands at once start one delivery process between them, not one each', async () => {
    const sampler = sampleDeliveries();
    const runs = await Promise.all(Array.from({ length: 20 }, () => sandbox.run(['usage', 'status'])));
    for (const run of runs) expect(run).toExitWith(0);
    await posthog.waitForEvents(20, 30_000);
    await sandbox.waitForNoProcesses();
    const { peak, started } = await sampler.stop();
    expectExactlyOnce(posthog.events.map((event) => event.uuid));
    // One; at most a second for the commands that end after it has let go of the outbox, alive with it only as it exits.
    expect(peak).toBeLessThanOrEqual(2);
    expect(started).toBeLessThanOrEqual(2);
  });
});
