/**
 * Issue "Every promise holds under attack": what is found in or around `.arcade/` (odd files,
 * links, another user's directory, few file descriptors, relative paths), tried against the built CLI.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import { DELIVERY_ARGUMENT } from '../../src/adapters/process/delivery-argument.js';
import { CLI, ROOT, type Sandbox } from '../support/sandbox.js';
import { useStandIns } from '../support/stand-ins.js';

let sandbox: Sandbox;
let posthog: FakePosthog;

useStandIns((world) => ({ sandbox, posthog } = world), { awaitDeliveries: true });

describe('odd files in .arcade', () => {
  const FIFO = (path: string) => execFileSync('mkfifo', [path]);
  const cases: Array<[string, (path: string) => void]> = [
    ['a FIFO', FIFO],
    ['a directory', (path) => mkdirSync(path)],
    ['a zero-filled file', (path) => writeFileSync(path, Buffer.alloc(1024 * 1024))],
    ['a 50 MB file', (path) => writeFileSync(path, Buffer.alloc(50 * 1024 * 1024, 'x'))],
  ];

  it.each(cases)('%s in the outbox and as each state file: commands work, delivery ends, nothing hangs', async (_what, make) => {
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    await posthog.waitForEvents(1);
    await sandbox.waitForNoProcesses();
    make(join(sandbox.stateDir, 'usage-outbox', '000000000000001-odd.json'));
    for (const name of ['usage-log.json', 'usage-delivery.json', 'usage-settings.json', 'usage-notice.json']) {
      const path = sandbox.file(name);
      if (existsSync(path)) execFileSync('rm', ['-f', path]);
      make(path);
    }
    const whoami = await sandbox.run(['whoami'], {}, 8000);
    expect(whoami).toExitWith(1);
    expect(whoami.stderr).toMatch(/^Not logged in/);
    const shown = await sandbox.run(['usage', 'status'], {}, 8000);
    expect(shown.killed).toBe(false);
    await sandbox.waitForNoProcesses();
    // The odd entry is neither read nor deleted; the odd files are left for the user.
    expect(lstatSync(join(sandbox.stateDir, 'usage-outbox', '000000000000001-odd.json'))).toBeTruthy();
  });
});

describe('huge entries in the outbox', () => {
  it('a zero-filled and a 50 MB entry: the delivery process stays under 150 MB of RSS and still delivers the rest', async () => {
    mkdirSync(join(sandbox.stateDir, 'usage-outbox'), { recursive: true, mode: 0o700 });
    writeFileSync(join(sandbox.stateDir, 'usage-outbox', '000000000000001-zero.json'), Buffer.alloc(8 * 1024 * 1024));
    writeFileSync(join(sandbox.stateDir, 'usage-outbox', '000000000000002-huge.json'), Buffer.alloc(50 * 1024 * 1024, '['));
    const rssFile = join(sandbox.root, 'rss.txt');
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    await sandbox.waitForNoProcesses();
    // One more delivery over the same outbox, run with the benchmark's probe, which records its peak RSS on exit.
    const deliver = await new Promise<number | null>((resolve) =>
      execFile(
        process.execPath,
        ['--import', join(ROOT, 'dist/bench/rss-probe.js'), CLI, DELIVERY_ARGUMENT, sandbox.stateDir],
        { env: { ...sandbox.env, BENCH_RSS_FILE: rssFile } },
        (error) => resolve(error ? Number(error.code) : 0),
      ),
    );
    expect(deliver).toBe(0);
    const peakKiB = Math.max(
      ...readFileSync(rssFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => Number(line.split(' ')[0])),
    );
    expect(peakKiB).toBeLessThan(150 * 1024);
    expect((await posthog.waitForEvents(1)).map((event) => event.properties.command_name)).toEqual(['usage.status']);
  });
});

describe('symbolic links in .arcade', () => {
  it('never chmods a credentials file through a link, and reads it', async () => {
    const target = join(sandbox.root, 'elsewhere.yaml');
    writeFileSync(target, `cloud:\n  api:\n    key: ${'arc_live_x'.padEnd(24, '0')}\n  user:\n    email: a@example.com\n`, {
      mode: 0o664,
    });
    chmodSync(target, 0o664);
    mkdirSync(sandbox.stateDir, { recursive: true, mode: 0o700 });
    symlinkSync(target, sandbox.file('credentials.yaml'));
    const whoami = await sandbox.run(['whoami'], { ARCADE_USAGE_TRACKING: '0' });
    expect(whoami.stdout).toContain('a@example.com');
    expect(statSync(target).mode & 0o777).toBe(0o664);
  });

  it('never lists, writes or deletes through a linked usage-outbox', async () => {
    const elsewhere = join(sandbox.root, 'elsewhere');
    mkdirSync(elsewhere);
    for (const name of ['a.json', 'b.json', '000000000000001-c.json']) writeFileSync(join(elsewhere, name), '{}');
    mkdirSync(sandbox.stateDir, { recursive: true, mode: 0o700 });
    symlinkSync(elsewhere, join(sandbox.stateDir, 'usage-outbox'));
    expect(await sandbox.run(['whoami'])).toExitWith(1);
    const flush = await sandbox.run(['usage', 'flush']);
    expect(flush.stderr.split('\n')[0]).toMatch(/usage-outbox/);
    await sandbox.waitForNoProcesses();
    expect(readdirSync(elsewhere).sort()).toEqual(['000000000000001-c.json', 'a.json', 'b.json']);
    expect(lstatSync(join(sandbox.stateDir, 'usage-outbox')).isSymbolicLink()).toBe(true);
  });

  it('replaces a linked usage.json instead of writing through it', async () => {
    const target = join(sandbox.root, 'identity-elsewhere.json');
    writeFileSync(target, JSON.stringify({ anon_id: 'untouched' }));
    mkdirSync(sandbox.stateDir, { recursive: true, mode: 0o700 });
    symlinkSync(target, sandbox.file('usage.json'));
    expect(await sandbox.run(['whoami'])).toExitWith(1);
    await posthog.waitForEvents(1);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ anon_id: 'untouched' });
  });
});

describe("a .arcade that is not the user's own", () => {
  it('is refused with one line, nothing is written into it, and a command that only reads still works', async () => {
    // As root (a container): a directory handed to another uid. As anyone else: a link to /usr, owned by root.
    const foreign = join(sandbox.root, 'foreign');
    mkdirSync(foreign, { mode: 0o755 });
    if (process.getuid?.() === 0) {
      execFileSync('chown', ['12345:12345', foreign]);
      symlinkSync(foreign, sandbox.stateDir);
    } else symlinkSync('/usr', sandbox.stateDir);
    const target = process.getuid?.() === 0 ? foreign : '/usr';
    const before = readdirSync(target).sort();
    const mode = statSync(target).mode & 0o777;
    const status = await sandbox.run(['usage', 'status']);
    expect(status).toExitWith(0);
    const login = await sandbox.run(['login', '--timeout', '10']);
    expect(login).toExitWith(1);
    // After the login's progress, the reason as one last line.
    expect(login.stderr).toMatch(
      /(^|\n)[^\n]*belongs to another user \(uid \d+, you are \d+\), so arcade will not write there\. Give it back \(chown\) or set ARCADE_WORK_DIR\.\n$/,
    );
    expect(readdirSync(target).sort()).toEqual(before);
    expect(statSync(target).mode & 0o777).toBe(mode);
    expect(posthog.events).toEqual([]);
  });
});

describe('few file descriptors', () => {
  it.each([24, 56])('ulimit -n %i: commands run as usual, and their events are delivered', async (limit) => {
    const status = await sandbox.runWithFileLimit(limit, ['usage', 'status']);
    expect(status).toExitWith(0);
    expect(status.stderr).not.toMatch(/EMFILE| {4}at /);
    const whoami = await sandbox.runWithFileLimit(limit, ['whoami']);
    expect(whoami).toExitWith(1);
    expect(whoami.stderr).toBe('Not logged in. Run `arcade login` first.\n');
    expect((await posthog.waitForEvents(2)).map((event) => event.properties.command_name).sort()).toEqual([
      'usage.status',
      'whoami',
    ]);
  });
});

describe('opted out', () => {
  it('`usage flush` writes nothing while tracking is off', async () => {
    const flush = await sandbox.run(['usage', 'flush'], { ARCADE_USAGE_TRACKING: '0' });
    expect(flush).toExitWith(0);
    expect(existsSync(sandbox.stateDir)).toBe(false);
  });
});

describe('relative and empty paths', () => {
  it.each([
    ['ARCADE_WORK_DIR=.', { ARCADE_WORK_DIR: '.' }, ''],
    ['ARCADE_WORK_DIR=proj', { ARCADE_WORK_DIR: 'proj' }, 'proj'],
    ['HOME="" and no ARCADE_WORK_DIR', { HOME: '', ARCADE_WORK_DIR: '' }, ''],
  ])('%s: events are delivered from one state directory, resolved once', async (_what, env, dir) => {
    mkdirSync(join(sandbox.root, 'proj'));
    for (let i = 0; i < 2; i++) expect(await sandbox.run(['usage', 'status'], env)).toExitWith(0);
    await posthog.waitForEvents(2);
    const stateDir = join(sandbox.root, dir, '.arcade');
    expect(await sandbox.usageStatus(env)).toMatchObject({ stateDir, pendingEvents: 0 });
    await pollUntil(
      () => (readdirSync(join(stateDir, 'usage-outbox')).length === 0 ? true : undefined),
      10_000,
      'an empty outbox',
    );
    // Not resolved a second time against itself (`proj/.arcade/proj/.arcade`).
    expect(existsSync(join(stateDir, dir, '.arcade'))).toBe(false);
  });
});
