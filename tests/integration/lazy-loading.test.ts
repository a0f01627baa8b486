/**
 * Issue "Performance budget": the command's own process never loads posthog-node, and loads got
 * and proper-lockfile only when a lookup, an API call or a write is due. Checked by recording every
 * module the built CLI resolves (timings are for `npm run bench`, never for tests).
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { CLI, ROOT, type Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

const RECORDER = join(ROOT, 'tests/support/import-recorder/register.mjs');

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, cloud, sandbox } = world));

/** Every module URL the CLI's own process resolved for `args`. */
function modulesLoaded(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const log = join(sandbox.root, `imports-${Math.random().toString(36).slice(2)}.log`);
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', RECORDER, CLI, ...args], { env: { ...sandbox.env, ...env, IMPORT_LOG: log } }, () => {
      resolve(existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
    });
  });
}

/** The npm packages the CLI's own process loaded for `args`. */
async function packagesLoaded(args: string[], env: Record<string, string> = {}): Promise<Set<string>> {
  return new Set((await modulesLoaded(args, env)).flatMap((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
}

describe('what a command loads', () => {
  it('--version loads no package and nothing of ours beyond the entry: only what reading a version takes', async () => {
    const loaded = (await modulesLoaded(['--version'])).filter(
      (url) => !url.endsWith('/tests/support/import-recorder/register.mjs'),
    );
    expect(loaded.map((url) => url.replace(/^.*\/dist\//, 'dist/')).sort()).toEqual([
      'dist/adapters/process/delivery-argument.js',
      'dist/cli/main.js',
      'node:fs',
      'node:url',
    ]);
  });

  it('a steady-state tracked command loads neither posthog-node, got nor proper-lockfile', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    await sandbox.run(['whoami']); // links: one lookup, one write, an alias and the event
    await posthog.waitForEvents(2);
    const loaded = await packagesLoaded(['whoami']);
    expect(loaded.has('clipanion')).toBe(true); // the recorder does see packages
    for (const heavy of ['posthog-node', 'got', 'proper-lockfile']) expect([heavy, loaded.has(heavy)]).toEqual([heavy, false]);
    expect(cloud.lookups).toHaveLength(1);
  });

  it('loads got for a lookup and proper-lockfile for the write, still never posthog-node', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    const loaded = await packagesLoaded(['whoami']);
    expect(loaded.has('got')).toBe(true);
    expect(loaded.has('proper-lockfile')).toBe(true);
    expect(loaded.has('posthog-node')).toBe(false);
  });

  it('loads nothing of tracking when it is off', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    const loaded = await packagesLoaded(['whoami'], { ARCADE_USAGE_TRACKING: '0' });
    for (const heavy of ['posthog-node', 'got', 'proper-lockfile']) expect(loaded.has(heavy)).toBe(false);
  });
});
