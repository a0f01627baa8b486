/**
 * Issue "Consent, transparency and privacy": opt-outs that take effect at once, the first-run
 * notice, disable/enable, debug mode, the delivered-events log, and scrubbed events.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { Sandbox } from '../support/sandbox.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, cloud, sandbox } = world), { awaitDeliveries: true });

describe('opting out by environment', () => {
  it.each([
    { ARCADE_USAGE_TRACKING: '0' },
    { ARCADE_USAGE_TRACKING: 'false' },
    { ARCADE_USAGE_TRACKING: 'OFF' },
    { ARCADE_USAGE_TRACKING: 'no' },
    { DO_NOT_TRACK: '1' },
    { DO_NOT_TRACK: 'true' },
  ] as Array<Record<string, string>>)(
    '%j: no request to PostHog, no lookup, no notice, no background process, nothing written',
    async (env) => {
      sandbox.env = { ...sandbox.env, ...env };
      const statusRun = await sandbox.run(['usage', 'status', '--json']);
      expect(JSON.parse(statusRun.stdout)).toMatchObject({ enabled: false });
      const login = await sandbox.run(['login', '--timeout', '20']);
      expect(login).toExitWith(0);
      expect((await sandbox.run(['whoami'])).stdout).toBe(`${ALICE.email}\n`);
      expect(await sandbox.run(['logout'])).toExitWith(0);
      expect(await sandbox.run(['whoami'])).toExitWith(1);
      for (const run of [statusRun, login]) expect(run.stderr).not.toContain('ARCADE_USAGE_TRACKING');
      expect(await sandbox.deliveryPids()).toEqual([]);
      expect(posthog.requests).toEqual([]);
      expect(cloud.lookups).toEqual([]);
      // Only the credentials ever existed here: no identity, outbox, notice or delivery state.
      expect(readdirSync(sandbox.stateDir)).toEqual([]);
    },
  );

  it('explains in usage status which variable decided', async () => {
    expect(JSON.parse((await sandbox.run(['usage', 'status', '--json'], { DO_NOT_TRACK: '1' })).stdout)).toMatchObject({
      enabled: false,
      reason: 'do-not-track',
    });
    expect((await sandbox.run(['usage', 'status'], { DO_NOT_TRACK: '1', ARCADE_USAGE_TRACKING: '1' })).stdout).toContain(
      'Usage tracking:  enabled by ARCADE_USAGE_TRACKING=1',
    );
  });
});

describe('the first-run notice', () => {
  it('is shown exactly once, on stderr, naming ARCADE_USAGE_TRACKING', async () => {
    const first = await sandbox.run(['usage', 'status']);
    expect(first.stderr).toContain('ARCADE_USAGE_TRACKING=0');
    expect(first.stdout).not.toContain('ARCADE_USAGE_TRACKING=0');
    const second = await sandbox.run(['usage', 'status']);
    expect(second.stderr).toBe('');
    expect((await sandbox.run(['whoami'])).stderr).not.toContain('ARCADE_USAGE_TRACKING');
  });

  it('is not shown while tracking is off, nor in CI', async () => {
    expect((await sandbox.run(['usage', 'status'], { DO_NOT_TRACK: '1' })).stderr).toBe('');
    expect((await sandbox.run(['usage', 'status'], { CI: 'true' })).stderr).toBe('');
    await posthog.waitForEvents(1);
    expect(posthog.events[0].properties.is_ci).toBe(true);
    expect((await sandbox.run(['usage', 'status'])).stderr).toContain('ARCADE_USAGE_TRACKING');
  });
});

describe('the Python Arcade CLI on the same machine', () => {
  const NOTE = 'the Python Arcade CLI on this machine honours only ARCADE_USAGE_TRACKING=0';
  const times = (text: string) => text.split(NOTE).length - 1;

  it('is said, once, to honour only ARCADE_USAGE_TRACKING, wherever this CLI is silenced another way', async () => {
    expect(times((await sandbox.run(['usage', 'status'], { ARCADE_USAGE_TRACKING: '1' })).stdout)).toBe(0);
    const disable = await sandbox.run(['usage', 'disable']);
    expect([times(disable.stdout), times(disable.stderr)]).toEqual([0, 1]);
    expect(times((await sandbox.run(['usage', 'status'])).stdout)).toBe(1);
    expect(JSON.parse((await sandbox.run(['usage', 'status', '--json'])).stdout)).toMatchObject({ pythonCliStillTracks: true });
    // Silenced the way Python is too: nothing to say.
    const both = { ARCADE_USAGE_TRACKING: '0' };
    expect(times((await sandbox.run(['usage', 'disable'], both)).stderr)).toBe(0);
    expect(times((await sandbox.run(['usage', 'status'], both)).stdout)).toBe(0);
    expect(JSON.parse((await sandbox.run(['usage', 'status', '--json'], both)).stdout)).toMatchObject({
      pythonCliStillTracks: false,
    });
    await sandbox.run(['usage', 'enable'], both);
    expect(
      times((await sandbox.run(['usage', 'status'], { ...both, ARCADE_USAGE_TRACKING: '', DO_NOT_TRACK: '1' })).stdout),
    ).toBe(1);
  });
});

describe('usage disable and enable', () => {
  it('never sends events that were pending at disable, even once PostHog is back; after enable, new events flow', async () => {
    posthog.behaviour = { down: true };
    await sandbox.run(['usage', 'status']);
    await sandbox.run(['whoami']);
    await sandbox.waitForNoProcesses();
    expect((await sandbox.usageStatus()).pendingEvents).toBe(2);
    const oldAnonId = sandbox.anonId();

    const disable = await sandbox.run(['usage', 'disable']);
    expect(disable).toExitWith(0);
    expect(disable.stdout).toBe('Usage tracking is disabled. Deleted 2 pending event(s) and the anonymous id.\n');
    const afterDisable = JSON.parse((await sandbox.run(['usage', 'status', '--json'])).stdout) as Record<string, unknown>;
    expect(afterDisable).toMatchObject({ enabled: false, reason: 'settings-disabled', pendingEvents: 0, distinctId: null });

    posthog.behaviour = {};
    await sandbox.run(['usage', 'status']);
    await sandbox.run(['usage', 'flush']);
    await sandbox.waitForNoProcesses();
    expect(posthog.requests).toEqual([]);

    const enable = await sandbox.run(['usage', 'enable']);
    expect(enable.stdout).toBe('Usage tracking is enabled.\n');
    await sandbox.run(['usage', 'status']);
    const events = await posthog.waitForEvents(2);
    expect(events.map((event) => event.properties.command_name)).toEqual(['usage.enable', 'usage.status']);
    expect(events.every((event) => event.distinct_id !== oldAnonId)).toBe(true);
  });

  it('says so when the environment overrides the saved choice', async () => {
    const result = await sandbox.run(['usage', 'disable'], { ARCADE_USAGE_TRACKING: '1' });
    expect(result.stdout).toBe(
      'Saved: disabled. Deleted 0 pending event(s). But usage tracking is enabled by ARCADE_USAGE_TRACKING=1.\n',
    );
    expect(JSON.parse((await sandbox.run(['usage', 'status', '--json'])).stdout)).toMatchObject({
      enabled: false,
      reason: 'settings-disabled',
    });
  });

  it('fails closed when the settings file is corrupt, and says so', async () => {
    mkdirSync(sandbox.stateDir, { recursive: true });
    writeFileSync(join(sandbox.stateDir, 'usage-settings.json'), '{ nope');
    const result = await sandbox.run(['usage', 'status']);
    expect(result.stdout).toContain('disabled because the saved setting could not be read (it is not valid JSON)');
    await sandbox.run(['whoami']);
    await sandbox.waitForNoProcesses();
    expect(posthog.requests).toEqual([]);
    expect(existsSync(sandbox.file('usage.json'))).toBe(false);
  });
});

describe('debug mode and the delivered log', () => {
  it('ARCADE_USAGE_DEBUG=1 prints each event as one JSON line on stderr and sends nothing', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    const result = await sandbox.run(['whoami'], { ARCADE_USAGE_DEBUG: '1' });
    expect(result.stdout).toBe(`${ALICE.email}\n`);
    const lines = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The command looks nothing up (the background delivery would): its event, under an anonymous id.
    expect(lines.map((line) => line.event)).toEqual(['CLI execution succeeded']);
    expect(lines[0].distinct_id).not.toBe(ALICE.principalId);
    await sandbox.waitForNoProcesses();
    expect(posthog.requests).toEqual([]);
    expect(existsSync(sandbox.file('usage-outbox'))).toBe(false);
    expect(cloud.lookups).toEqual([]);
    // Nothing was "used up": the next real run's delivery still looks up and aliases.
    await sandbox.run(['whoami']);
    const events = await posthog.waitForEvents(2);
    expect(events.map((event) => [event.event, event.distinct_id])).toEqual([
      ['CLI execution succeeded', sandbox.anonId()],
      ['$create_alias', ALICE.principalId],
    ]);
  });

  it('usage log shows exactly what was delivered', async () => {
    expect((await sandbox.run(['usage', 'log'], { ARCADE_USAGE_TRACKING: '0' })).stdout).toContain(
      'No usage events have been sent',
    );
    await sandbox.run(['whoami']);
    const [delivered] = await posthog.waitForEvents(1);
    await sandbox.waitForNoProcesses();
    const log = JSON.parse((await sandbox.run(['usage', 'log', '--json'], { ARCADE_USAGE_TRACKING: '0' })).stdout) as Array<{
      delivered_at: string;
      message: Record<string, unknown>;
    }>;
    // Each entry is the very object PostHog received, posthog-node's own properties included.
    expect(log.map((record) => record.message)).toEqual([delivered.raw]);
    expect(log[0].message.properties).toMatchObject({ command_name: 'whoami', $lib: 'posthog-node' });
    expect(Number.isNaN(Date.parse(log[0].delivered_at))).toBe(false);
    expect((await sandbox.run(['usage', 'log'], { ARCADE_USAGE_TRACKING: '0' })).stdout).toContain('CLI execution failed');
  });
});

describe('privacy of what is sent', () => {
  it('scrubs the home directory from an error naming the credentials file, and never sends the key or email', async () => {
    // State in the home directory, as for a real user.
    delete sandbox.env.ARCADE_WORK_DIR;
    const stateDir = join(sandbox.home, '.arcade');
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(
      join(stateDir, 'credentials.yaml'),
      `cloud:\n  api: [unclosed ${ALICE.apiKey}\n  user:\n    email: ${ALICE.email}\n`,
    );
    const failed = await sandbox.run(['whoami']);
    expect(failed).toExitWith(1);
    expect(failed.stderr).toContain(join(stateDir, 'credentials.yaml'));
    const [event] = await posthog.waitForEvents(1);
    // The path is a placeholder, and so is the parser's text (it quotes the file).
    expect(event.properties).toMatchObject({
      error_code: 'bad-credentials',
      error_message: 'Cannot read <path>: <value>. Run `arcade logout` and `arcade login` again.',
    });
    // A valid key by hand, then a failure that mentions nothing secret: still no key, email or home anywhere.
    writeFileSync(
      join(stateDir, 'credentials.yaml'),
      `cloud:\n  api:\n    key: ${ALICE.apiKey}\n  user:\n    email: ${ALICE.email}\n`,
    );
    await sandbox.run(['whoami']);
    await sandbox.run(['login']);
    await posthog.waitForEvents(4);
    const sent = JSON.stringify(posthog.events);
    expect(sent).not.toContain(ALICE.apiKey);
    expect(sent).not.toContain(ALICE.email);
    expect(sent).not.toContain(sandbox.home);
  });
});
