/**
 * What ships is `dist/arcade.cjs`, two bundles beside it and the large packages each in a bundle
 * of its own, `dist/vendor/*.cjs` (scripts/build.mjs). These tests run
 * that artifact and check what it executes: `--version` runs nothing but the launcher; a command
 * never runs posthog-node, and runs got and proper-lockfile only when a lookup, an API call or a
 * write is due. "Ran" is read from V8's own coverage (NODE_V8_COVERAGE): esbuild wraps each lazily
 * loaded package module in a function named after its path, and V8 counts the calls of each.
 * Timings are for `npm run bench`, never for tests.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { CLI, NOTHING_HERE, ROOT, type CliResult, type Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, cloud, sandbox } = world));

interface Coverage {
  /** The file names of the scripts under dist/ that ran any code. */
  readonly scripts: Set<string>;
  /** The npm packages whose (lazily loaded) module code ran. */
  readonly packages: Set<string>;
}

interface V8Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

/** Runs `node <cli> ...args` with V8 coverage on, and reads what ran from it. */
function runCovered(args: string[], env: Record<string, string> = {}, cli = CLI): Promise<Coverage & CliResult> {
  const dir = join(sandbox.root, `coverage-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...sandbox.env, ...env, NODE_V8_COVERAGE: dir } },
      (error, stdout, stderr) => {
        const scripts = new Set<string>();
        const packages = new Set<string>();
        for (const file of readdirSync(dir)) {
          for (const script of (JSON.parse(readFileSync(join(dir, file), 'utf8')) as V8Coverage).result) {
            const inDist = /\/dist\/(.+)$/.exec(script.url)?.[1];
            if (!inDist) continue;
            const ran = script.functions.filter((fn) => fn.ranges[0]?.count);
            if (ran.length > 0) scripts.add(inDist);
            // The large packages ship as bundles of their own, dist/vendor/<package>.cjs (scripts/build.mjs).
            const vendored = /^vendor\/(.+)\.cjs$/.exec(inDist)?.[1];
            if (vendored && ran.length > 0) packages.add(vendored);
            for (const fn of ran) {
              const name = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(fn.functionName)?.[1];
              if (name) packages.add(name);
            }
          }
        }
        resolve({ scripts, packages, code: error ? Number(error.code) : 0, stdout, stderr, killed: false });
      },
    );
  });
}

describe('what ships, and what a command runs of it', () => {
  it('--version runs the launcher alone', async () => {
    const run = await runCovered(['--version']);
    expect(run.stdout).toBe(`${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    expect([...run.scripts]).toEqual(['arcade.cjs']);
  });

  it('a steady-state tracked command runs neither posthog-node, got, proper-lockfile nor yaml, and writes no usage.json', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    await sandbox.run(['whoami']); // links: one lookup, one write, an alias and the event
    await posthog.waitForEvents(2);
    const identity = readFileSync(sandbox.file('usage.json'), 'utf8');
    expect(JSON.parse(identity)).toMatchObject({ linked_principal_id: ALICE.principalId });
    const run = await runCovered(['whoami']);
    expect(run).toExitWith(0);
    expect(readFileSync(sandbox.file('usage.json'), 'utf8')).toBe(identity);
    // credentials.yaml in the usual layout is read without the YAML package.
    expect(run.scripts).toEqual(new Set(['arcade.cjs', 'cli.cjs']));
    expect(run.packages.has('clipanion')).toBe(true); // coverage does see packages
    for (const heavy of ['posthog-node', 'got', 'proper-lockfile', 'yaml', 'proxy-from-env', 'hpagent'])
      expect([heavy, run.packages.has(heavy)]).toEqual([heavy, false]);
    expect(cloud.lookups).toHaveLength(1);
  });

  it('runs the proxy packages only when a proxy variable is set', async () => {
    const without = await runCovered(['usage', 'status']);
    const behind = await runCovered(['usage', 'status'], { HTTP_PROXY: 'http://127.0.0.1:3128' });
    for (const run of [without, behind]) expect(run).toExitWith(0);
    for (const name of ['proxy-from-env', 'hpagent']) {
      expect([name, without.packages.has(name)]).toEqual([name, false]);
      expect([name, behind.packages.has(name)]).toEqual([name, true]);
    }
  });

  it('a command whose principal is unknown runs neither got nor posthog-node: its delivery looks the principal up', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    const run = await runCovered(['whoami']);
    expect(run).toExitWith(0);
    expect(run.packages.has('got')).toBe(false);
    expect(run.packages.has('posthog-node')).toBe(false);
    expect(run.packages.has('proper-lockfile')).toBe(true); // the new identity's write
    await sandbox.waitForNoProcesses();
    expect(cloud.lookups).toEqual([ALICE.apiKey]);
  });

  it('runs nothing of tracking when it is off', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    const run = await runCovered(['whoami'], { ARCADE_USAGE_TRACKING: '0' });
    expect(run).toExitWith(0);
    for (const heavy of ['posthog-node', 'got', 'proper-lockfile'])
      expect([heavy, run.packages.has(heavy)]).toEqual([heavy, false]);
  });

  it('the delivery process is its own bundle, without the command parser', async () => {
    const run = await runCovered(['__deliver', sandbox.stateDir]);
    // (proper-lockfile takes the outbox's claim.)
    expect(run.scripts).toEqual(new Set(['arcade.cjs', 'deliver.cjs', 'vendor/proper-lockfile.cjs']));
    expect(run.packages.has('clipanion')).toBe(false);
    // Nor the commands' use cases, nor Arcade's API beyond the principal lookup, nor the browser login.
    const bundle = readFileSync(join(ROOT, 'dist/deliver.cjs'), 'utf8');
    const absent = ['Login', 'FlushEvents', 'ListWorkers', 'CloudBrowserLogin', 'EngineWorkersClient', 'CoordinatorClient'];
    expect(absent.filter((name) => bundle.includes(`var ${name} = class`))).toEqual([]);
    expect(['DeliverEvents', 'CloudPrincipalSource'].filter((name) => bundle.includes(`var ${name} = class`))).toHaveLength(2);
  });

  it("a delivery process that sends loads posthog-node, but never Node's fetch (undici)", async () => {
    // One event waiting, its own delivery held back (PostHog down), then a delivery run by hand.
    expect(await sandbox.run(['usage', 'status'], { ARCADE_POSTHOG_HOST: NOTHING_HERE })).toExitWith(0);
    await sandbox.waitForNoProcesses();
    writeFileSync(join(sandbox.stateDir, 'usage-delivery.json'), '{}');
    const probe = join(sandbox.root, 'modules-probe.mjs');
    const loaded = join(sandbox.root, 'modules.txt');
    writeFileSync(
      probe,
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(loaded)}, process.moduleLoadList.join('\\n')));\n`,
    );
    await new Promise<void>((resolve) =>
      execFile(process.execPath, ['--import', probe, CLI, '__deliver', sandbox.stateDir], { env: sandbox.env }, () => resolve()),
    );
    expect((await posthog.waitForEvents(1))[0].properties.command_name).toBe('usage.status');
    const modules = readFileSync(loaded, 'utf8');
    expect(modules).toContain('NativeModule http');
    expect(modules).not.toContain('undici');
  });

  it("a tracked command loads none of Node's heavier modules unless it needs them (crypto, http, https, child_process, readline)", async () => {
    const probe = join(sandbox.root, 'modules-probe.mjs');
    const loaded = join(sandbox.root, 'modules.txt');
    writeFileSync(
      probe,
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(loaded)}, process.moduleLoadList.join('\\n')));\n`,
    );
    const modulesOf = async (args: string[]) => {
      await new Promise<void>((resolve) =>
        execFile(process.execPath, ['--import', probe, CLI, ...args], { env: sandbox.env }, () => resolve()),
      );
      return readFileSync(loaded, 'utf8').split('\n');
    };
    // The first run makes the anonymous id (node:crypto) and starts a delivery (node:child_process).
    const first = await modulesOf(['usage', 'status']);
    expect(first).toEqual(expect.arrayContaining(['NativeModule crypto', 'NativeModule child_process']));
    await posthog.waitForEvents(1);
    await sandbox.waitForNoProcesses();
    // In the steady state a delivery is running (its claim is fresh): this run only appends its event.
    mkdirSync(join(sandbox.stateDir, 'usage-delivery.lock'), { recursive: true });
    const steady = await modulesOf(['usage', 'status']);
    expect(readdirSync(join(sandbox.stateDir, 'usage-outbox'))).toHaveLength(1);
    for (const heavy of ['crypto', 'http', 'https', 'child_process', 'readline'])
      expect([heavy, steady.includes(`NativeModule ${heavy}`)]).toEqual([heavy, false]);
  });

  it('credentials.yaml parses through the shipped bundle (a bundler can break a CommonJS package’s named exports)', async () => {
    // Quoted and commented: outside the usual layout, so the YAML package itself reads it.
    mkdirSync(sandbox.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(sandbox.stateDir, 'credentials.yaml'),
      `# written by hand\ncloud:\n  api:\n    key: "${ALICE.apiKey}"\n  user:\n    email: '${ALICE.email}'\n`,
      { mode: 0o600 },
    );
    const run = await runCovered(['whoami']);
    expect(run).toExitWith(0);
    expect(run.packages.has('yaml')).toBe(true);
    expect(run.stdout).toContain(ALICE.email);
    const [event, alias] = await posthog.waitForEvents(2);
    expect(alias?.event).toBe('$create_alias');
    expect([alias?.distinct_id, alias?.properties.alias]).toEqual([ALICE.principalId, event?.distinct_id]);
  });

  it('a corrupt, empty or unreadable code cache costs only its compile time: same output, same exit', async () => {
    const expected = await sandbox.run(['--help']);
    expect(expected).toExitWith(0);
    for (const [name, plant] of [
      ['garbage', (path: string) => writeFileSync(path, 'not a V8 code cache'.repeat(100))],
      ['empty', (path: string) => writeFileSync(path, '')],
      ['a directory', (path: string) => mkdirSync(path)],
    ] as const) {
      const copy = join(sandbox.root, `dist-${name.replace(' ', '-')}`);
      mkdirSync(copy);
      for (const file of ['arcade.cjs', 'cli.cjs', 'deliver.cjs']) copyFileSync(join(ROOT, 'dist', file), join(copy, file));
      plant(join(copy, 'cli.cjs.cache'));
      const run = await runCovered(['--help'], {}, join(copy, 'arcade.cjs'));
      expect([name, run.code, run.stdout, run.stderr]).toEqual([name, 0, expected.stdout, '']);
    }
  });

  it("keeps Node's compile cache per version in the user's cache directory (Node 22.1+), never beside the installed files", async () => {
    const cacheDir = join(sandbox.root, 'xdg-cache', 'arcade', 'compile-cache');
    const env = { XDG_CACHE_HOME: join(sandbox.root, 'xdg-cache'), ARCADE_USAGE_TRACKING: '0' };
    const distBefore = readdirSync(join(ROOT, 'dist'), { recursive: true }).sort();
    const first = await sandbox.run(['usage', 'status'], env);
    expect(first).toExitWith(0);
    expect(readdirSync(join(ROOT, 'dist'), { recursive: true }).sort()).toEqual(distBefore);
    if (typeof (Module as { enableCompileCache?: unknown }).enableCompileCache !== 'function') {
      // Node 20: the cache the build shipped, and nothing written anywhere.
      expect(existsSync(cacheDir)).toBe(false);
      return;
    }
    const [versionDir, ...others] = readdirSync(cacheDir);
    expect([versionDir, others]).toEqual([expect.stringMatching(new RegExp(`^${process.version}-`)), []]);
    const cached = readdirSync(join(cacheDir, versionDir));
    expect(cached.length).toBeGreaterThan(0);
    // Another version's cache beside it, and this version's made garbage: ignored, never an error.
    mkdirSync(join(cacheDir, 'v99.0.0-x64-00000000-0'));
    writeFileSync(join(cacheDir, 'v99.0.0-x64-00000000-0', cached[0]), 'not a cache');
    for (const file of cached) writeFileSync(join(cacheDir, versionDir, file), 'not a V8 code cache'.repeat(100));
    const again = await sandbox.run(['usage', 'status'], env);
    expect([again.code, again.stdout, again.stderr]).toEqual([0, first.stdout, first.stderr]);
    // A cache directory that cannot be made (a file in its place) costs only the compile.
    writeFileSync(join(sandbox.root, 'xdg-file'), '');
    const unwritable = await sandbox.run(['usage', 'status'], { ...env, XDG_CACHE_HOME: join(sandbox.root, 'xdg-file') });
    expect([unwritable.code, unwritable.stdout, unwritable.stderr]).toEqual([0, first.stdout, first.stderr]);
  });

  it('a corrupt code cache of a vendor bundle costs only its compile: the delivery still sends', async () => {
    // The build leaves posthog-node's cache beside it (the delivery loads that bundle on first use).
    expect(existsSync(join(ROOT, 'dist', 'vendor', 'posthog-node.cjs.cache'))).toBe(true);
    const copy = join(sandbox.root, 'dist-corrupt-vendor-cache');
    cpSync(join(ROOT, 'dist'), copy, { recursive: true });
    writeFileSync(join(copy, 'vendor', 'posthog-node.cjs.cache'), 'not a V8 code cache'.repeat(100));
    // One event waiting, its own delivery held back (PostHog down), then a delivery run by the copy.
    expect(await sandbox.run(['usage', 'status'], { ARCADE_POSTHOG_HOST: NOTHING_HERE })).toExitWith(0);
    await sandbox.waitForNoProcesses();
    writeFileSync(join(sandbox.stateDir, 'usage-delivery.json'), '{}');
    const code = await new Promise<number>((resolve) =>
      execFile(process.execPath, [join(copy, 'arcade.cjs'), '__deliver', sandbox.stateDir], { env: sandbox.env }, (error) =>
        resolve(error ? Number(error.code) : 0),
      ),
    );
    expect(code).toBe(0);
    expect((await posthog.waitForEvents(1))[0].properties.command_name).toBe('usage.status');
  });

  it('with ARCADE_DEBUG=1 a stack names the src/ files and lines', async () => {
    writeFileSync(join(sandbox.workDir, '.arcade'), ''); // a file where the state directory belongs
    const run = await sandbox.run(['usage', 'flush'], { ARCADE_DEBUG: '1' });
    expect(run).toExitWith(1);
    expect(run.stderr).toMatch(/at .* \(.*\/src\/adapters\/fs\/fs-outbox\.ts:\d+:\d+\)/);
    expect(run.stderr).not.toContain('cli.cjs');
  });
});
