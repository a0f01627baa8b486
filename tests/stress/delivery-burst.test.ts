/**
 * A burst of commands shares delivery requests and delivery processes (in its own file, so it runs
 * beside delivery.test.ts rather than after it).
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTINUES_BURST_ARGUMENT, DELIVERY_ARGUMENT } from '../../src/adapters/process/delivery-argument.js';
import { BURST_SPACING_MS, DELIVERY_LINGER_MS } from '../../src/domain/delivery-policy.js';
import { CLI, NOTHING_HERE, type Sandbox } from '../support/sandbox.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { CLOCK_TICKS_PER_SECOND } from '../../src/stand-ins/marked-processes.js';
import { useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, sandbox } = world), { awaitDeliveries: true });

function expectExactlyOnce(uuids: readonly string[]): void {
  expect(new Set(uuids).size).toBe(uuids.length);
}

/** Records when each background delivery began (tests/support/record-delivery-start.mjs). */
function deliveryStarts(): { env: Record<string, string>; read: () => number[] } {
  const file = join(sandbox.root, 'delivery-starts');
  const preload = new URL('../support/record-delivery-start.mjs', import.meta.url).href;
  return {
    env: {
      NODE_OPTIONS: `--import ${preload}`,
      ARCADE_TEST_STARTS_FILE: file,
      ARCADE_TEST_STARTS_ARGUMENT: DELIVERY_ARGUMENT,
    },
    read: () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .trim()
            .split('\n')
            .map(Number)
            .sort((x, y) => x - y)
        : [],
  };
}

/** Samples how many delivery processes are alive at once, until `stop`. */
function sampleDeliveries(): { stop: () => Promise<{ peak: number }> } {
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, (await sandbox.deliveryPids()).length);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    stop: async () => {
      sampling = false;
      await sampler;
      return { peak };
    },
  };
}

describe('a burst of commands', () => {
  it('delivers 40 commands exactly once, at most one request a linger (a second) however slow the machine, with at most 2 delivery processes alive at once (one, and its successor as it hands over)', async () => {
    posthog.behaviour = { delayMs: 300 };
    const sampler = sampleDeliveries();
    const started = Date.now();
    for (let i = 0; i < 40; i++) expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    await posthog.waitForEvents(40, 30_000);
    await sandbox.waitForNoProcesses();
    const { peak } = await sampler.stop();
    expect(posthog.events).toHaveLength(40);
    expectExactlyOnce(posthog.events.map((event) => event.uuid));
    // After each request a delivery lingers a second: one command then goes at once, several (a burst) wait for the
    // spacing (unit: deliver-events.test.ts; timed: npm run bench). Either way, a request carries a second's commands.
    expect(posthog.requests.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 2);
    expect(posthog.requests.length).toBeLessThan(40);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(2);
    // Forty commands one after another: on a loaded machine, or a Node line slower to start, they
    // alone can take most of a minute.
  }, 150_000);

  it('a successor started mid-burst (continues-burst) waits out the spacing from the last request in the delivery state', async () => {
    // (That a plain delivery sends at once is pinned by the unit tests, with no clock to race: deliver-events.test.ts.)
    // Two commands' events left pending: PostHog unreachable (a closed port), their delivery fails at once.
    for (let i = 0; i < 2; i++)
      expect(await sandbox.run(['usage', 'status'], { ARCADE_POSTHOG_HOST: NOTHING_HERE })).toExitWith(0);
    await sandbox.waitForNoProcesses();
    // Its predecessor's last request ended just now (and no backoff is recorded).
    const lastAttemptAt = Date.now();
    writeFileSync(
      sandbox.file('usage-delivery.json'),
      JSON.stringify({ last_attempt_at: new Date(lastAttemptAt).toISOString(), last_result: 'delivered' }),
    );
    const requestsBefore = posthog.requests.length;
    const args = [CLI, DELIVERY_ARGUMENT, sandbox.stateDir, CONTINUES_BURST_ARGUMENT];
    await new Promise((resolve) => execFile(process.execPath, args, { env: sandbox.env }, resolve));
    expect(posthog.requests.slice(requestsBefore).map((request) => request.eventCount)).toEqual([2]);
    // A lower bound the code guarantees: a busy machine only adds to it.
    expect(posthog.requests[requestsBefore].receivedAt - lastAttemptAt).toBeGreaterThanOrEqual(BURST_SPACING_MS - 100);
  });

  it('20 commands at once start one delivery process between them, not one each', async () => {
    const starts = deliveryStarts();
    const sampler = sampleDeliveries();
    const runs = await Promise.all(Array.from({ length: 20 }, () => sandbox.run(['usage', 'status'], starts.env)));
    for (const run of runs) expect(run).toExitWith(0);
    await posthog.waitForEvents(20, 30_000);
    await sandbox.waitForNoProcesses();
    const { peak } = await sampler.stop();
    const startedAt = starts.read();
    const started = startedAt.length;
    expectExactlyOnce(posthog.events.map((event) => event.uuid));
    // Alive together only as one hands over and exits.
    expect(peak).toBeLessThanOrEqual(2);
    // A command starts a delivery only when none holds the outbox or is starting, and each holds
    // it until a linger after its last request: so however slowly the twenty commands end, no
    // delivery begins within a linger of the one before it (a clock tick aside).
    const gaps = startedAt.slice(1).map((at, i) => at - startedAt[i]);
    expect(gaps.filter((gap) => gap < DELIVERY_LINGER_MS - 1000 / CLOCK_TICKS_PER_SECOND)).toEqual([]);
    expect(started).toBeLessThan(20);
  });
});
