/**
 * Issue "A CLI people install and enjoy": the package as npm would publish it, installed globally
 * into an empty prefix, away from this repository's node_modules, and used as a user would.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeArcadeEngine } from '../../src/stand-ins/fake-arcade-engine.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import { ROOT, type Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let sandbox: Sandbox;
let posthog: FakePosthog;
let engine: FakeArcadeEngine;
useStandIns((world) => ({ sandbox, posthog, engine } = world), { awaitDeliveries: true });

const work = mkdtempSync(join(tmpdir(), 'arcade-package-'));
const prefix = join(work, 'prefix');
let installed: string;
let packed: string[];
let npmOutput: string;

/** npm's stdout, and its stderr (warnings, notices). */
function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(
      'npm',
      args,
      // Its own cache and configuration: nothing of this machine's npm setup decides the result.
      { cwd, env: { ...process.env, npm_config_cache: join(work, 'cache'), npm_config_userconfig: join(work, 'npmrc') } },
      (error, stdout, stderr) => (error ? reject(new Error(`npm ${args.join(' ')}: ${stderr}`)) : resolve({ stdout, stderr })),
    ),
  );
}

beforeAll(async () => {
  // The dist/ the test run built (packing would otherwise build again under the running tests).
  const pack = JSON.parse((await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)).stdout) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  packed = pack[0].files.map((file) => file.path).sort();
  const install = await npm(
    ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(work, pack[0].filename)],
    work,
  );
  npmOutput = install.stdout + install.stderr;
  installed = realpathSync(join(prefix, 'bin', 'arcade'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the published package', () => {
  it('carries only what runs: the bundles, their code caches and source maps (for ARCADE_DEBUG stacks), no stand-ins or bench', () => {
    expect(packed).toEqual([
      'LICENSE',
      'README.md',
      'dist/arcade.cjs',
      'dist/cli.cjs',
      'dist/cli.cjs.cache',
      'dist/cli.cjs.map',
      'dist/deliver.cjs',
      'dist/deliver.cjs.cache',
      'dist/deliver.cjs.map',
      ...readdirSync(join(ROOT, 'dist/vendor'))
        .map((name) => `dist/vendor/${name}`)
        .sort(),
      'package.json',
    ]);
  });

  it('installs globally as one package, with no warning and no install script', () => {
    expect(npmOutput).toMatch(/added 1 package/);
    expect(npmOutput).not.toMatch(/warn/i);
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['arcade-cli']);
    expect(readdirSync(join(prefix, 'lib', 'node_modules', 'arcade-cli'))).not.toContain('node_modules');
  });

  it('logs in, lists servers, shows usage status and delivers, run from the install', async () => {
    engine.workers.push({ id: 'installed-w1', enabled: true, uri: 'http://w1.example:8002', tools: ['Github.CreateIssue'] });
    const login = await sandbox.runWithInput(['login', '--with-api-key'], `${ALICE.apiKey}\n`, {}, installed);
    expect(login).toExitWith(0);
    expect(login.stdout).toMatch(/^Logged in with API key arc_…/);
    const list = await sandbox.run(['server', 'list'], {}, 15_000, installed);
    expect(list).toExitWith(0);
    expect(list.stdout).toContain('installed-w1');
    const status = await sandbox.run(['usage', 'status'], {}, 15_000, installed);
    expect(status).toExitWith(0);
    // The three commands' events (login's alias comes too, and carries no command name).
    const commands = await pollUntil(
      () => {
        const names = posthog.events.map((event) => event.properties.command_name).filter(Boolean);
        return names.length >= 3 ? names : undefined;
      },
      15_000,
      "the three commands' events",
    );
    expect(commands).toEqual(['login', 'server.list', 'usage.status']);
  });
});
