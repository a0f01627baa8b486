/** The detached delivery process as the runner starts it: its arguments, and what it does when it cannot start one. */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsDeliveryStart } from '../../src/adapters/fs/delivery-start.js';
import { StateDir } from '../../src/adapters/fs/state-dir.js';
import { CONTINUES_BURST_ARGUMENT, DELIVERY_ARGUMENT } from '../../src/adapters/process/delivery-argument.js';
import { DetachedDeliveryRunner } from '../../src/adapters/process/detached-delivery-runner.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';

/** A stand-in for the CLI's entry that writes the arguments it was given into its working directory. */
function recordingEntry(): string {
  const entry = join(mkdtempSync(join(tmpdir(), 'arcade-runner-')), 'entry.cjs');
  writeFileSync(entry, "require('node:fs').writeFileSync('argv.json', JSON.stringify(process.argv.slice(2)));\n");
  return entry;
}

function runnerIn(stateDir: string): DetachedDeliveryRunner {
  return new DetachedDeliveryRunner(recordingEntry(), stateDir, new FsDeliveryStart(new StateDir(stateDir)));
}

async function argumentsGiven(continuesBurst: boolean): Promise<unknown> {
  const stateDir = mkdtempSync(join(tmpdir(), 'arcade-runner-state-'));
  const runner = runnerIn(stateDir);
  expect(await runner.startDelivery(continuesBurst)).toBe(true);
  // The reservation names the process started, not this one; until it ends, nobody starts another.
  const named = readFileSync(join(stateDir, 'usage-delivery.starting'), 'utf8');
  expect([/^\d+\n$/.test(named), named === `${process.pid}\n`]).toEqual([true, false]);
  expect(await runner.startDelivery(continuesBurst)).toBe(false);
  await runner.endStart();
  expect(existsSync(join(stateDir, 'usage-delivery.starting'))).toBe(false);
  const written = await pollUntil(
    () => {
      try {
        return readFileSync(join(stateDir, 'argv.json'), 'utf8');
      } catch (error) {
        // Not written yet: the process is still starting.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    10_000,
    'the started process to record its arguments',
  );
  return [stateDir, JSON.parse(written)];
}

describe('DetachedDeliveryRunner', () => {
  it('starts `__deliver <state dir>` in the state directory, with continues-burst only for a burst’s successor', async () => {
    const [plainDir, plain] = (await argumentsGiven(false)) as [string, unknown];
    expect(plain).toEqual([DELIVERY_ARGUMENT, plainDir]);
    const [burstDir, successor] = (await argumentsGiven(true)) as [string, unknown];
    expect(successor).toEqual([DELIVERY_ARGUMENT, burstDir, CONTINUES_BURST_ARGUMENT]);
  });

  it('throws what is a bug (a path no process can be given) instead of answering "could not start"', async () => {
    await expect(runnerIn('/tmp/with\0nul').startDelivery(false)).rejects.toThrow(/null bytes|\\0/);
  });
});
