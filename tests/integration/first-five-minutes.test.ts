/** Issue "The first five minutes": the demo, the sink, and every command the README names. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import { ROOT, Sandbox } from '../support/sandbox.js';

const children: ChildProcess[] = [];
const sandboxes: Sandbox[] = [];

function newSandbox(): Sandbox {
  const sandbox = new Sandbox();
  sandboxes.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const sandbox of sandboxes.splice(0)) await sandbox.cleanup();
});

function node(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, script), ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Starts the sink on a free port; resolves to it, its URL, and a function reading what it printed. */
async function startSink(
  args: string[] = [],
): Promise<{ url: string; line: (matches: (text: string) => boolean) => Promise<string> }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/stand-ins/sink.js'), '--port', '0', ...args], { stdio: 'pipe' });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await pollUntil(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1], 10_000, 'the sink to listen');
  /** The first line the sink printed that `matches`, once it has. */
  const line = (matches: (text: string) => boolean) =>
    pollUntil(() => stdout.split('\n').find(matches), 15_000, 'the sink to print the line');
  return { url, line };
}

describe('npm run demo', () => {
  it('runs the stages and shows what PostHog received, alias included, then exits 0', async () => {
    expect(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.demo,
    ).toBe('npm run build --silent && node dist/stand-ins/demo.js');
    const { DO_NOT_TRACK: _dnt, ARCADE_USAGE_TRACKING: _tracking, ...env } = process.env;
    const result = await node('dist/stand-ins/demo.js', [], { ...env, DO_NOT_TRACK: '1' });
    expect(result.stderr).toBe('');
    expect(result).toExitWith(0);
    const out = result.stdout;
    for (const stage of [
      '1. An anonymous command',
      '2. Log in',
      '3. An authenticated command',
      "4. Another: a server's logs",
      '5. Log out',
      '6. Anonymous again',
    ])
      expect(out).toContain(stage);
    expect(out).toMatch(/\$create_alias\s+\S+ \(anonymous\) -> usr_demo_ada/);
    expect(out).toMatch(/CLI execution succeeded\s+login\s+as usr_demo_ada/);
    expect(out).toMatch(/CLI execution succeeded\s+logout\s+as usr_demo_ada/);
    expect(out).toContain('INFO  tool call Slack.SendMessage (88 ms)');
    expect(out).toMatch(/CLI execution succeeded\s+server\.logs\s+as usr_demo_ada/);
    expect(out).toMatch(/7 events in \d+ request\(s\), 1 alias/);
  });
});

describe('npm run sink', () => {
  it('prints each event readably, and raw with --json', async () => {
    const readable = await startSink();
    await newSandbox().run(['usage', 'status'], { ARCADE_POSTHOG_HOST: readable.url });
    const line = await readable.line((text) => text.includes('usage.status'));
    expect(line).toMatch(/CLI execution succeeded\s+usage\.status\s+as [0-9a-f]{8}… \(anonymous\) \d+ ms$/);

    const raw = await startSink(['--json']);
    await newSandbox().run(['whoami'], { ARCADE_POSTHOG_HOST: raw.url });
    const json = await raw.line((text) => text.startsWith('{'));
    expect(JSON.parse(json)).toMatchObject({
      event: 'CLI execution failed',
      properties: { command_name: 'whoami', $process_person_profile: false },
    });
  });

  it('refuses bad arguments with a usage line', async () => {
    const result = await node('dist/stand-ins/sink.js', ['--bogus']);
    expect(result).toExitWith(2);
    expect(result.stderr).toMatch(/^usage: npm run sink -- \[--port N\] \[--json\] \[--fail MODE\]\n {2}MODE: html-200, /);
  });
});

describe('the package', () => {
  it('runs as `npx arcade` and as `node <bin>`', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: { arcade: string } };
    const viaNode = await node(pkg.bin.arcade, ['--version']);
    expect(viaNode.stdout).toBe(`${pkg.version}\n`);
    const viaNpx = await new Promise<string>((resolve) =>
      execFile('npx', ['--no-install', 'arcade', '--version'], { cwd: ROOT, timeout: 60_000 }, (_error, stdout) =>
        resolve(stdout),
      ),
    );
    expect(viaNpx).toBe(`${pkg.version}\n`);
  });
});

describe('the README', () => {
  it('names only real commands: each answers --help', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const firstColumns = readme
      .split('\n')
      .filter((line) => line.startsWith('| `arcade '))
      .map((line) => line.split('|')[1]);
    const paths = new Set(
      firstColumns.flatMap((column) =>
        [...column.matchAll(/`arcade ([a-z][a-z ]*?)(?: \[| [A-Z]|`)/g)].map((match) => match[1].trim()),
      ),
    );
    expect([...paths].sort()).toEqual([
      'completion',
      'login',
      'logout',
      'server disable',
      'server enable',
      'server list',
      'server logs',
      'server rm',
      'usage disable',
      'usage enable',
      'usage flush',
      'usage log',
      'usage status',
      'version',
      'whoami',
    ]);
    const sandbox = newSandbox();
    for (const path of paths) {
      const result = await sandbox.run([...path.split(' '), '--help'], { ARCADE_USAGE_TRACKING: '0' });
      expect([path, result.code]).toEqual([path, 0]);
      expect(result.stdout).toContain(`$ arcade ${path}`);
    }
  });
});
