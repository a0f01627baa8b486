/** `arcade server rm` in a terminal: it asks before deleting, unless `--yes`. */
import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { ServerRemoveCommand } from '../../src/cli/commands/server-remove-command.js';
import { ALICE, memoryApp } from '../support/memory-app.js';
import { runInProcess } from '../support/run-in-process.js';

async function rm(args: string[], answer: string | null) {
  const memory = memoryApp();
  const { world } = memory;
  await world.credentials.save(ALICE.apiKey, ALICE.email);
  world.engine.workers = [{ id: 'w1', enabled: true, endpoint: null }];
  world.cloud.deployments = [{ name: 'w1', endpoint: null }];
  // A terminal: the question waits for a line typed on it.
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  if (answer !== null) stdin.end(answer);
  const run = await runInProcess(memory, [ServerRemoveCommand], ['server', 'rm', 'w1', ...args], { stdin });
  return {
    code: run.code,
    out: run.stdout,
    err: run.stderr,
    left: [world.engine.workers.length, world.cloud.deployments.length],
  };
}

describe('server rm in a terminal', () => {
  it('asks, and removes nothing unless the answer is yes', async () => {
    const no = await rm([], 'n\n');
    expect(no.err).toContain('Remove server w1 from Arcade Cloud and the Engine? [y/N] ');
    // A plain word, not an error in red, and an exit code of its own.
    expect(no.err).toContain('[y/N] Cancelled.\n');
    expect([no.code, no.left]).toEqual([3, [1, 1]]);
    const empty = await rm([], '\n');
    expect([empty.code, empty.left]).toEqual([3, [1, 1]]);
  });

  it('removes on yes, and does not ask with --yes', async () => {
    const yes = await rm([], 'yes\n');
    expect([yes.code, yes.left]).toEqual([0, [0, 0]]);
    const forced = await rm(['-y'], null);
    expect(forced.err).not.toContain('[y/N]');
    expect([forced.code, forced.left]).toEqual([0, [0, 0]]);
  });

  it('asks about the Engine only with --deregister', async () => {
    const run = await rm(['--deregister'], 'y\n');
    expect(run.err).toContain('Deregister server w1 from the Engine? [y/N] ');
    expect([run.code, run.left]).toEqual([0, [0, 1]]);
  });
});
