/**
 * Issue "Every promise holds under attack": `arcade logout` and `arcade usage disable` racing other
 * commands (and the deliveries they start), many processes at once against one state directory.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { Sandbox, type CliResult } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let sandbox: Sandbox;
let posthog: FakePosthog;

useStandIns((world) => ({ sandbox, posthog } = world), { awaitDeliveries: true });

/** Runs `count` commands at once, with `racer` started among them; resolves when all have exited, with the time the racer did. */
async function raceAmong(
  count: number,
  racer: string[],
  box = sandbox,
): Promise<{ racer: CliResult; racerEndedAt: number; others: CliResult[] }> {
  const others: Promise<CliResult>[] = [];
  for (let i = 0; i < count / 2; i += 1) others.push(box.run(['usage', 'status']));
  const racing = box.run(racer).then((result) => ({ result, endedAt: Date.now() }));
  for (let i = count / 2; i < count; i += 1) others.push(box.run(['usage', 'status']));
  const [{ result, endedAt }, ...rest] = await Promise.all([racing, ...others]);
  return { racer: result, racerEndedAt: endedAt, others: rest };
}

describe('logout racing 20 commands', () => {
  it.each([1, 2])(
    'round %i: no alias and no event under the old principal stamped after logout returned; anonymous afterwards',
    async () => {
      // Logged in, not yet linked: the racing commands look the principal up and link as logout runs.
      sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
      const { racer, racerEndedAt, others } = await raceAmong(20, ['logout']);
      expect(racer).toExitWith(0);
      for (const other of others) expect(other).toExitWith(0);
      const after = await sandbox.run(['usage', 'status']);
      expect(after).toExitWith(0);
      await sandbox.waitForNoProcesses();
      expect(await sandbox.run(['usage', 'flush'])).toExitWith(0);
      await sandbox.waitForNoProcesses(); // the delivery of the flush's own event
      // 20 commands, logout, one more and the flush: 23 at least, and an alias if a command linked before logout.
      const events = await posthog.waitForEvents(23);
      const late = events.filter((event) => Date.parse(event.timestamp) > racerEndedAt);
      expect(late.filter((event) => event.event === '$create_alias')).toEqual([]);
      expect(late.filter((event) => event.distinct_id === ALICE.principalId)).toEqual([]);
      expect(late.map((event) => event.properties.$process_person_profile)).toEqual(late.map(() => false));
      expect(late.length).toBeGreaterThanOrEqual(2); // the command after logout and the flush
      expect(sandbox.readJson('usage.json').linked_principal_id ?? null).toBeNull();
    },
  );
});

/** What a lane of disable races saw go wrong, race by race (empty: nothing). */
async function disableRaces(rounds: number): Promise<string[]> {
  const posthog = await FakePosthog.start();
  const box = new Sandbox({ posthog: posthog.url });
  const problems: string[] = [];
  try {
    for (let round = 1; round <= rounds; round += 1) {
      const { racer, racerEndedAt, others } = await raceAmong(4, ['usage', 'disable'], box);
      if (racer.code !== 0 || others.some((other) => other.code !== 0)) problems.push(`round ${round}: a command failed`);
      await box.waitForNoProcesses();
      const late = posthog.events.filter((event) => event.receivedAt > racerEndedAt);
      if (late.length > 0) problems.push(`round ${round}: ${late.length} event(s) received after disable returned`);
      // Disabled: nothing of tracking is left, nor written afterwards.
      const left = readdirSync(box.stateDir).filter((name) => !['usage-settings.json', 'usage-notice.json'].includes(name));
      const entries = left.includes('usage-outbox') ? readdirSync(box.file('usage-outbox')) : [];
      const files = [...left.filter((name) => name !== 'usage-outbox'), ...entries];
      if (files.length > 0) problems.push(`round ${round}: left while disabled: ${files.join(', ')}`);
      // Enabled again: only what is stamped after the enable is sent (checked once a lane: the
      // next round's disable would delete anything left over unseen anyway).
      if (round < rounds) {
        if ((await box.run(['usage', 'enable'])).code !== 0) problems.push(`round ${round}: enable failed`);
        continue;
      }
      const enabledAt = Date.now();
      if ((await box.run(['usage', 'enable'])).code !== 0) problems.push(`round ${round}: enable failed`);
      const before = posthog.events.length;
      if ((await box.run(['usage', 'flush'])).code !== 0) problems.push(`round ${round}: flush failed`);
      await box.waitForNoProcesses();
      const older = posthog.events.slice(before).filter((event) => Date.parse(event.timestamp) < enabledAt);
      if (older.length > 0) problems.push(`round ${round}: ${older.length} event(s) from before the disable sent after enable`);
    }
  } finally {
    await box.cleanup();
    await posthog.close();
  }
  return problems;
}

describe('usage disable racing commands and their deliveries', () => {
  it('25 races (5 lanes of 5): nothing from before the disable arrives after it, nothing is left or written while disabled', async () => {
    const lanes = await Promise.all([5, 5, 5, 5, 5].map(disableRaces));
    expect(lanes.flat()).toEqual([]);
  });
});
