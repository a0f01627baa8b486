/**
 * Issue "State files that stay whole": one identity per machine under concurrency, and nothing
 * corrupt or blocking after processes are killed with SIGKILL at random moments.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import type { Sandbox } from '../support/sandbox.js';
import { seededRandom, withSeed } from '../support/seeded-random.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let posthog: FakePosthog;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, sandbox } = world));

/** Every file and directory under .arcade/, as relative paths. */
function stateFiles(): string[] {
  return readdirSync(sandbox.stateDir, { recursive: true }).map(String).sort();
}

function leftovers(): string[] {
  return stateFiles().filter((name) => name.endsWith('.lock') || name.includes('.tmp-'));
}

describe('concurrent first runs', () => {
  it('create exactly one anonymous id, used by all 30 events, and leave no lock or temp file', async () => {
    const runs = Array.from({ length: 30 }, () => {
      const child = sandbox.spawn(['usage', 'status']);
      return new Promise<number | null>((resolve) => child.on('exit', resolve));
    });
    expect(await Promise.all(runs)).toEqual(Array(30).fill(0));
    const anonId = sandbox.anonId();
    expect(anonId).toMatch(UUID);
    const events = await posthog.waitForEvents(30, 30_000);
    await sandbox.waitForNoProcesses();
    expect(posthog.events).toHaveLength(30);
    expect(new Set(events.map((event) => event.distinct_id))).toEqual(new Set([anonId]));
    expect(new Set(events.map((event) => event.uuid)).size).toBe(30);
    expect(leftovers()).toEqual([]);
  });
});

describe('processes killed at random moments', () => {
  it('never leave a corrupt usage.json or a lock that blocks later commands', async () => {
    const random = seededRandom();
    await withSeed(random, async () => {
      expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
      const commands = [['usage', 'status'], ['whoami'], ['logout'], ['usage', 'status'], ['whoami'], ['logout']];
      for (let round = 0; round < 25; round++) {
        // Credentials come and go so that commands look up, link and rotate: every kind of write.
        if (round % 2 === 0) sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
        const children = commands.map((args) => sandbox.spawn(args));
        await Promise.all(
          children.map(
            (child) =>
              new Promise<void>((resolve) => {
                const timer = setTimeout(() => child.kill('SIGKILL'), Math.floor(random.next() * 400));
                child.on('exit', () => {
                  clearTimeout(timer);
                  resolve();
                });
              }),
          ),
        );
        const usage = JSON.parse(readFileSync(sandbox.file('usage.json'), 'utf8')) as Record<string, unknown>;
        expect(usage.anon_id).toMatch(UUID);
      }

      // Afterwards: a normal command succeeds at once (it needs no lock), and its event is delivered.
      rmSync(sandbox.file('credentials.yaml'), { force: true });
      await sandbox.waitForNoProcesses(15_000);
      const before = posthog.events.length;
      const result = await sandbox.run(['whoami'], {}, 10_000);
      expect(result.killed).toBe(false);
      expect(result).toExitWith(1);
      const last = await posthog
        .waitForEvents(before + 1, 15_000)
        .then(() =>
          posthog.events.find(
            (event, i) => i >= before && event.properties.command_name === 'whoami' && event.event === 'CLI execution failed',
          ),
        );
      expect(last).toBeDefined();
      // And the link (the delivery writes usage.json) gets its lock within seconds, even if a killed process held it.
      sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
      const linking = await sandbox.run(['whoami'], {}, 12_000);
      expect(linking.killed).toBe(false);
      expect(linking.stdout).toBe('alice@example.com\n');
      await sandbox.waitForNoProcesses(15_000);
      expect(sandbox.readJson('usage.json').linked_principal_id).toBe(ALICE.principalId);
      expect(stateFiles().filter((name) => name.includes('.tmp-'))).toEqual([]);
    });
  });
});
