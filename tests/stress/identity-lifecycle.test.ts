/**
 * Issue "Usage tracking end to end": the four identity stages, hand-written credentials, damaged
 * state files, a misbehaving Cloud, and the login's own safety, all with the built CLI against a
 * fake PostHog and a fake Arcade Cloud on loopback.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { CapturedEvent, FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import { freePort, type Sandbox } from '../support/sandbox.js';
import { ALICE, BOB, useStandIns } from '../support/stand-ins.js';

/** A message's uuid: a UUID v7, made as the run ends (so no earlier than the run's own timestamp). */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** An anonymous id: a random UUID v4 (the SPEC's anon_id). */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, cloud, sandbox } = world));

/** Whether a TCP connection to host:port is accepted. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function commandEvents(events: readonly CapturedEvent[]): CapturedEvent[] {
  return events.filter((event) => event.event !== '$create_alias');
}

function expectValidCapture(events: readonly CapturedEvent[]): void {
  expect(posthog.requests.every((request) => request.status === 200)).toBe(true);
  for (const event of events) {
    expect(event.uuid).toMatch(UUID_V7);
    expect(parseInt(event.uuid.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(Date.parse(event.timestamp));
    expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
    expect(event.distinct_id).not.toBe('');
  }
  expect(new Set(events.map((event) => event.uuid)).size).toBe(events.length);
}

describe('the four identity stages', () => {
  it('goes anonymous, aliases at login, attributes to the principal, and rotates at logout', async () => {
    // Stage 1: anonymous, one failing and one succeeding command.
    const failing = await sandbox.run(['whoami']);
    expect(failing).toExitWith(1);
    expect(failing.stderr.split('\n')[0]).toBe('Not logged in. Run `arcade login` first.');
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    const anonId = sandbox.anonId();
    expect(anonId).toMatch(UUID_V4);
    const anonymous = await posthog.waitForEvents(2);
    expect(
      anonymous.map((event) => [
        event.event,
        event.properties.command_name,
        event.distinct_id,
        event.properties.$process_person_profile,
      ]),
    ).toEqual([
      ['CLI execution failed', 'whoami', anonId, false],
      ['CLI execution succeeded', 'usage.status', anonId, false],
    ]);
    expect(anonymous[0].properties.error_message).toBe('Not logged in. Run `arcade login` first.');

    // Stage 2: login through the browser flow.
    const login = await sandbox.run(['login', '--timeout', '20']);
    expect(login).toExitWith(0);
    expect(login.stdout).toContain('Logged in as alice@example.com');
    expect(login.stdout).toContain('arc_…6f8a'.replace('6f8a', ALICE.apiKey.slice(-4)));
    expect(login.stdout + login.stderr).not.toContain(ALICE.apiKey);
    expect(statSync(sandbox.file('credentials.yaml')).mode & 0o777).toBe(0o600);
    expect(statSync(sandbox.stateDir).mode & 0o777).toBe(0o700);
    const afterLogin = await posthog.waitForEvents(4);
    const aliases = afterLogin.filter((event) => event.event === '$create_alias');
    expect(aliases).toHaveLength(1);
    expect(aliases[0].distinct_id).toBe(ALICE.principalId);
    expect(aliases[0].properties.alias).toBe(anonId);
    expect(aliases[0].properties.$process_person_profile).toBeUndefined();
    const loginEvent = afterLogin.find((event) => event.properties.command_name === 'login')!;
    expect(loginEvent.distinct_id).toBe(ALICE.principalId);
    expect(loginEvent.properties.$process_person_profile).toBeUndefined();
    expect(afterLogin.indexOf(aliases[0])).toBeLessThan(afterLogin.indexOf(loginEvent));
    expect(cloud.lookups).toHaveLength(1);

    // Stage 3: authenticated commands, zero lookups.
    expect((await sandbox.run(['whoami'])).stdout).toBe('alice@example.com\n');
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    const authenticated = commandEvents(await posthog.waitForEvents(6)).slice(-2);
    expect(authenticated.map((event) => [event.properties.command_name, event.distinct_id])).toEqual([
      ['whoami', ALICE.principalId],
      ['usage.status', ALICE.principalId],
    ]);
    expect(cloud.lookups).toHaveLength(1);

    // Stage 4: logout goes out as the principal, then the anonymous id rotates.
    const logout = await sandbox.run(['logout']);
    expect(logout).toExitWith(0);
    expect(logout.stdout).toContain('Logged out');
    expect(existsSync(sandbox.file('credentials.yaml'))).toBe(false);
    const logoutEvent = (await posthog.waitForEvents(7))[6];
    expect([logoutEvent.properties.command_name, logoutEvent.distinct_id]).toEqual(['logout', ALICE.principalId]);
    const rotated = sandbox.readJson('usage.json');
    expect(rotated.anon_id).toMatch(UUID_V4);
    expect(rotated.anon_id).not.toBe(anonId);
    expect(rotated.linked_principal_id).toBeNull();

    // And the next command is anonymous under the new id.
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    const last = (await posthog.waitForEvents(8))[7];
    expect([last.distinct_id, last.properties.$process_person_profile]).toEqual([rotated.anon_id, false]);
    expect(posthog.events.filter((event) => event.event === '$create_alias')).toHaveLength(1);
    expect(cloud.lookups).toHaveLength(1);
    expectValidCapture(posthog.events);
  });
});

describe('credentials that appear by another way', () => {
  it('aliases before the first event as the principal, and looks a changed key up exactly once', async () => {
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    const anonId = sandbox.anonId();
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    // The command waits on no lookup: its event goes under the anonymous id (person processing on),
    // and its delivery looks the principal up and aliases that id to it.
    expect(await sandbox.run(['whoami'])).toExitWith(0);
    const events = await posthog.waitForEvents(3);
    const aliasAt = events.findIndex((event) => event.event === '$create_alias');
    expect([events[aliasAt]?.distinct_id, events[aliasAt]?.properties.alias]).toEqual([ALICE.principalId, anonId]);
    // The whoami event names the anonymous id the alias merges (person processing on), or, when a
    // delivery still running from the first command linked before whoami recorded it, the account,
    // after the alias. Nothing goes out under the account before the alias.
    const whoami = events.filter((event) => event.event !== '$create_alias')[1];
    if (whoami.distinct_id === anonId) expect(whoami.properties).not.toHaveProperty('$process_person_profile');
    else expect([whoami.distinct_id, events.indexOf(whoami) > aliasAt]).toEqual([ALICE.principalId, true]);
    await sandbox.waitForNoProcesses();
    expect(await sandbox.run(['whoami'])).toExitWith(0);
    expect((await posthog.waitForEvents(4))[3].distinct_id).toBe(ALICE.principalId);
    expect(cloud.lookups).toEqual([ALICE.apiKey]);

    // A new key (another account) by hand: four commands, one lookup, never merging the two accounts.
    await sandbox.waitForNoProcesses();
    sandbox.writeCredentials(BOB.apiKey, BOB.email);
    for (let i = 0; i < 4; i++) expect((await sandbox.run(['whoami'])).stdout).toBe('bob@example.com\n');
    await posthog.waitForEvents(9);
    await sandbox.waitForNoProcesses();
    expect(cloud.lookups).toEqual([ALICE.apiKey, BOB.apiKey]);
    const later = posthog.events.slice(4);
    const bobAlias = later.filter((event) => event.event === '$create_alias');
    expect(bobAlias).toHaveLength(1);
    expect(bobAlias[0].distinct_id).toBe(BOB.principalId);
    const bobAnonId = bobAlias[0].properties.alias;
    expect(bobAnonId).not.toBe(anonId);
    // Each of Bob's events is his: under his principal, or under the fresh id aliased to it; never Alice's.
    for (const event of commandEvents(later)) expect([BOB.principalId, bobAnonId]).toContain(event.distinct_id);
    expect(commandEvents(later)).toHaveLength(4);
    expectValidCapture(posthog.events);
  });
});

describe('damaged state and a misbehaving Cloud', () => {
  it.each([
    ['garbage', '{{{ not json'],
    ['empty', ''],
    ['an array', '[]'],
    ['missing anon_id', '{"linked_principal_id": null}'],
    ['a mistyped anon_id', '{"anon_id": 42, "linked_principal_id": null}'],
    ['a mistyped link', '{"anon_id": "5d3a8f0e-2b1c-4c7d-9e6f-0a1b2c3d4e5f", "linked_principal_id": 7}'],
  ])('replaces a usage.json that is %s and the command works', async (_label, content) => {
    mkdirSync(sandbox.stateDir, { recursive: true });
    writeFileSync(sandbox.file('usage.json'), content);
    const result = await sandbox.run(['usage', 'status']);
    expect(result).toExitWith(0);
    const anonId = sandbox.anonId();
    expect(anonId).toMatch(UUID_V4);
    const [event] = await posthog.waitForEvents(1);
    expect([event.distinct_id, event.properties.$process_person_profile]).toEqual([anonId, false]);
  });

  it('gives whoami a one-line error for malformed credentials, and still tracks', async () => {
    mkdirSync(sandbox.stateDir, { recursive: true });
    writeFileSync(sandbox.file('credentials.yaml'), `cloud:\n  api: [unclosed\n    key: ${ALICE.apiKey}\n`);
    const result = await sandbox.run(['whoami']);
    expect(result).toExitWith(1);
    // The reason is the first line; on a first run the usage notice may follow it.
    expect(result.stderr.split('\n')[0]).toMatch(
      /^Cannot read .*credentials\.yaml: it is not valid YAML \(line \d+\)\. Run `arcade logout`/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(ALICE.apiKey);
    const [event] = await posthog.waitForEvents(1);
    expect([event.event, event.properties.command_name, event.properties.$process_person_profile]).toEqual([
      'CLI execution failed',
      'whoami',
      false,
    ]);
    expect(JSON.stringify(event)).not.toContain(ALICE.apiKey);
    expect(cloud.lookups).toHaveLength(0);
  });

  it.each(['error', 'html', 'hang'] as const)(
    'keeps the command going and the event anonymous when validate answers %s',
    async (mode) => {
      cloud.validateMode = mode;
      sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
      const result = await sandbox.run(['whoami'], {}, 8000);
      expect(result.killed).toBe(false);
      expect(result).toExitWith(0);
      expect(result.stdout).toBe('alice@example.com\n');
      const [event] = await posthog.waitForEvents(1);
      // Under the anonymous id, left unlinked: the lookup (in the background delivery) found no principal.
      expect(event.distinct_id).toBe(sandbox.anonId());
      await sandbox.waitForNoProcesses();
      expect(cloud.lookups).toHaveLength(1);
      expect(JSON.parse(readFileSync(sandbox.file('usage.json'), 'utf8'))).toMatchObject({ linked_principal_id: null });
    },
  );
});

describe('login while PostHog is down', () => {
  it('prints nothing extra, queues the alias ahead of the login event, and delivers both in order later', async () => {
    posthog.behaviour = { down: true };
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    const anonId = sandbox.anonId();
    const login = await sandbox.run(['login', '--timeout', '20']);
    expect(login).toExitWith(0);
    // Only the login's own progress: no word of PostHog being down.
    expect(login.stderr).toMatch(
      /^This Arcade Cloud has no OAuth login; logging in with an API key instead\.\nOpening your browser to log in\.[^]*Waiting for the login to finish \(up to 20 s\)\.\.\.\n$/,
    );
    await sandbox.waitForNoProcesses();

    posthog.behaviour = {};
    const flush = await sandbox.run(['usage', 'flush']);
    expect(flush.stdout).toBe('Sent 3, kept 0, dropped 0 event(s).\n');
    // (The flush's own event may follow, delivered in the background.)
    expect(
      posthog.events
        .slice(0, 3)
        .map((event) => [event.event, event.distinct_id, event.properties.command_name ?? event.properties.alias]),
    ).toEqual([
      ['CLI execution succeeded', anonId, 'usage.status'],
      ['$create_alias', ALICE.principalId, anonId],
      ['CLI execution succeeded', ALICE.principalId, 'login'],
    ]);
  });
});

describe('login --host', () => {
  it('logs in to, and looks the principal up at, the host given instead of ARCADE_CLOUD_URL', async () => {
    const host = new URL(cloud.url).host;
    const login = await sandbox.run(['login', '--host', host, '--timeout', '20'], {
      ARCADE_CLOUD_URL: `http://127.0.0.1:${await freePort()}`,
    });
    expect(login).toExitWith(0);
    expect(login.stderr).toContain(`${cloud.url}/api/v1/auth/cli_login?`);
    expect(cloud.lookups).toEqual([ALICE.apiKey]);
    expect(sandbox.readJson('usage.json').linked_principal_id).toBe(ALICE.principalId);
  });
});

describe('a command stopped with Ctrl-C', () => {
  it('is recorded as a failed run, exit 130, and writes nothing of the login', async () => {
    const urlFile = `${sandbox.root}/login-url`;
    const login = sandbox.spawn(['login', '--timeout', '20'], { FAKE_BROWSER_SAVE_URL: urlFile });
    const exited = new Promise<number | null>((resolve) => login.on('exit', resolve));
    await pollUntil(
      () => (existsSync(urlFile) && readFileSync(urlFile, 'utf8').length > 0 ? true : undefined),
      10_000,
      'the login to wait for the browser',
    );
    login.kill('SIGINT');
    expect(await exited).toBe(130);
    const [event] = await posthog.waitForEvents(1);
    expect([event.event, event.properties.command_name, event.properties.error_code, event.properties.error_message]).toEqual([
      'CLI execution failed',
      'login',
      'interrupted',
      'Interrupted',
    ]);
    expect(existsSync(sandbox.file('credentials.yaml'))).toBe(false);
  });
});

describe('login safety', () => {
  it('fails on a forged state and writes nothing', async () => {
    cloud.forgeState = true;
    const result = await sandbox.run(['login', '--timeout', '20']);
    expect(result).toExitWith(1);
    // After the login's progress and before the first-run notice: the reason, on one line of its own.
    expect(result.stderr.split('\n')).toContain(
      'Login failed: the callback did not carry the state this login sent (nothing was saved).',
    );
    expect(existsSync(sandbox.file('credentials.yaml'))).toBe(false);
    expect(result.stdout + result.stderr).not.toContain(ALICE.apiKey);
    const [event] = await posthog.waitForEvents(1);
    expect([event.event, event.properties.command_name]).toEqual(['CLI execution failed', 'login']);
    expect(cloud.lookups).toHaveLength(0);
  });

  it('listens for the callback on loopback only', async () => {
    const urlFile = `${sandbox.root}/login-url`;
    const login = sandbox.spawn(['login', '--timeout', '20'], { FAKE_BROWSER_SAVE_URL: urlFile });
    const exited = new Promise<number | null>((resolve) => login.on('exit', resolve));
    const loginUrl = await pollUntil(
      () => (existsSync(urlFile) && readFileSync(urlFile, 'utf8').length > 0 ? readFileSync(urlFile, 'utf8') : undefined),
      10_000,
      'the login URL',
    );
    const callback = new URL(new URL(loginUrl).searchParams.get('callback_uri')!);
    expect(callback.hostname).toBe('127.0.0.1');
    const port = Number(callback.port);
    // Reachable on 127.0.0.1; refused on ::1 and on every other interface.
    expect(await connects('127.0.0.1', port)).toBe(true);
    expect(await connects('::1', port)).toBe(false);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === 'IPv4');
    for (const address of external) expect(await connects(address!.address, port)).toBe(false);
    await fetch(loginUrl, { redirect: 'follow' });
    expect(await exited).toBe(0);
    expect(readFileSync(sandbox.file('credentials.yaml'), 'utf8')).toContain(ALICE.apiKey);
  });
});
