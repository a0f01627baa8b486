/**
 * Issue "Every promise holds under attack": `arcade logout` and `arcade usage disable` racing other
 * commands (and the deliveries they start), many processes at once against one state directory.
 */
import { describe, expect, it } from '@jest/globals';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import type { CliResult, Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let sandbox: Sandbox;
let posthog: FakePosthog;

useStandIns((world) => ({ sandbox, posthog } = world), { awaitDeliveries: true });

/** Runs `count` commands at once, with `racer` started among them; resolves when all have exited, with the time the racer did. */
async function raceAmong(
  count: number,
  racer: string[],
): Promise<{ racer: CliResult; racerEndedAt: number; others: CliResult[] }> {
  const others: Promise<CliResult>[] = [];
  for (let i = 0; i < count / 2; i += 1) others.push(sandbox.run(['usage', 'status']));
  const racing = sandbox.run(racer).then((result) => ({ result, endedAt: Date.now() }));
  for (let i = count / 2; i < count; i += 1) others.push(sandbox.run(['usage', 'status']));
  const [{ result, endedAt }, ...rest] = await Promise.all([racing, ...others]);
  return { racer: result, racerEndedAt: endedAt, others: rest };
}

describe('logout racing 20 commands', () => {
  it.each([1, 2, 3])(
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
