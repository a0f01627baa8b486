/**
 * A burst of commands shares delivery requests and delivery processes (in its own file, so it runs
 * beside delivery.test.ts rather than after it).
 */
import { describe, expect, it } from '@jest/globals';
import type { Sandbox } from '../support/sandbox.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, sandbox } = world), { awaitDeliveries: true });

function expectExactlyOnce(uuids: readonly string[]): void {
  expect(new Set(uuids).size).toBe(uuids.length);
}

describe('a burst of commands', () => {
  it('delivers 40 commands exactly once, at most one request a second (a burst shares requests), with at most 3 delivery processes alive at once', async () => {
    posthog.behaviour = { delayMs: 300 };
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, sandbox.deliveryPids().length);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = Date.now();
    for (let i = 0; i < 40; i++) expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    await posthog.waitForEvents(40, 30_000);
    await sandbox.waitForNoProcesses();
    sampling = false;
    await sampler;
    expect(posthog.events).toHaveLength(40);
    expectExactlyOnce(posthog.events.map((event) => event.uuid));
    // A delivery process waits a second between requests, so however slow the machine, a request carries a second's commands.
    expect(posthog.requests.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 2);
    expect(posthog.requests.length).toBeLessThan(40);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(3);
  });
});
