/**
 * Issue "Every promise holds under attack, round 2": wrong clocks, drops that went uncounted, and
 * the machine's refusals, each tried against the built CLI.
 */
import { describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import type { Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let sandbox: Sandbox;
let posthog: FakePosthog;
let cloud: FakeArcadeCloud;

useStandIns((world) => ({ sandbox, posthog, cloud } = world), { awaitDeliveries: true });

const YEAR_AHEAD = new Date(Date.now() + 365 * 24 * 3600 * 1000);

function outboxFiles(): string[] {
  return readdirSync(join(sandbox.stateDir, 'usage-outbox')).filter((name) => !name.startsWith('.'));
}

function rewriteJson(path: string, change: (value: Record<string, unknown>) => Record<string, unknown>): void {
  writeFileSync(path, JSON.stringify(change(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)));
}

describe('a clock that ran a year ahead, then was corrected', () => {
  it('leaves dates in every state file that block nothing: events are delivered, under the account', async () => {
    // A failed principal lookup, then every state file dated a year ahead, as that clock left them.
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    cloud.validateMode = 'error';
    posthog.behaviour = { down: true };
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    await sandbox.waitForNoProcesses();
    const ahead = YEAR_AHEAD.toISOString();
    rewriteJson(sandbox.file('usage.json'), (identity) => ({
      ...identity,
      principal_lookup: { ...(identity.principal_lookup as object), principal_id: null, checked_at: ahead },
    }));
    writeFileSync(
      sandbox.file('usage-settings.json'),
      JSON.stringify({ tracking: 'enabled', updated_at: ahead, disabled_at: ahead }),
    );
    rewriteJson(sandbox.file('usage-delivery.json'), (state) => ({ ...state, last_attempt_at: ahead, next_attempt_at: ahead }));
    for (const name of outboxFiles()) {
      const path = join(sandbox.stateDir, 'usage-outbox', name);
      rewriteJson(path, (entry) => ({
        ...entry,
        recorded_at: ahead,
        messages: (entry.messages as object[]).map((message) => ({ ...message, timestamp: ahead })),
      }));
    }
    for (const lock of ['usage.json.lock', 'usage-delivery.lock']) {
      mkdirSync(sandbox.file(lock));
      utimesSync(sandbox.file(lock), YEAR_AHEAD, YEAR_AHEAD);
    }
    writeFileSync(sandbox.file('usage-delivery.starting'), '');
    utimesSync(sandbox.file('usage-delivery.starting'), YEAR_AHEAD, YEAR_AHEAD);
    cloud.validateMode = 'ok';
    posthog.behaviour = {};

    expect(await sandbox.run(['whoami'])).toExitWith(0);
    const flush = await sandbox.run(['usage', 'flush']);
    expect(flush).toExitWith(0);
    expect(flush.stdout).toMatch(/kept 0, dropped 0 event\(s\)\.\n$/);
    const events = await posthog.waitForEvents(4);
    // Both commands' events, the alias the lookup made, and the flush; each once, none stamped ahead.
    expect(events.map((event) => (event.event === '$create_alias' ? 'alias' : event.properties.command_name)).sort()).toEqual([
      'alias',
      'usage.flush',
      'usage.status',
      'whoami',
    ]);
    expect(events.filter((event) => Date.parse(String(event.raw.timestamp)) > Date.now())).toEqual([]);
    expect(sandbox.readJson('usage.json').linked_principal_id).toBe(ALICE.principalId);
    // The flush's own event is deleted by the delivery it started, once PostHog has acknowledged it.
    await sandbox.waitForNoProcesses();
    expect(outboxFiles()).toEqual([]);
  });
});

describe('every drop counted', () => {
  it('drops and counts an entry too large to be ours, one that is not JSON, and a message whose timestamp is not a date', async () => {
    posthog.behaviour = { down: true };
    for (let i = 0; i < 3; i++) expect(await sandbox.run(['whoami'])).toExitWith(1);
    await sandbox.waitForNoProcesses();
    const [invalid, huge] = outboxFiles().map((name) => join(sandbox.stateDir, 'usage-outbox', name));
    rewriteJson(invalid, (entry) => ({
      ...entry,
      messages: (entry.messages as object[]).map((message) => ({ ...message, timestamp: 'not a date' })),
    }));
    rewriteJson(huge, (entry) => ({ ...entry, padding: 'x'.repeat(200_000) }));
    // Named as arcade names an entry of three messages.
    writeFileSync(join(sandbox.stateDir, 'usage-outbox', `${'0'.repeat(15)}-${'0'.repeat(20)}-abcdef-m3s0.json`), '{not json');
    posthog.behaviour = {};
    const flush = await sandbox.run(['usage', 'flush']);
    expect(flush).toExitWith(0);
    expect(flush.stdout).toBe('Sent 1, kept 0, dropped 5 event(s).\n');
    // The count rides on the next event delivered.
    const events = await posthog.waitForEvents(2);
    expect(events.map((event) => event.properties.events_dropped ?? 0)).toEqual([5, 0]);
  });
});

describe("the machine's refusals", () => {
  it('a read-only home: tracked commands fail nothing and wait for nothing, and usage status and login say why', async () => {
    chmodSync(sandbox.workDir, 0o555);
    try {
      // The identity lock's directory cannot be made: that fails at once (it waited 6 s for the lock).
      const whoami = await sandbox.run(['whoami'], {}, 3000);
      expect(whoami).toExitWith(1);
      expect(whoami.stderr).toBe('Not logged in. Run `arcade login` first.\n');
      const status = await sandbox.run(['usage', 'status'], {}, 3000);
      expect(status).toExitWith(0);
      expect(status.stdout).toContain(
        `Problem:         ${sandbox.stateDir} cannot be created in ${sandbox.workDir}: permission denied.`,
      );
      const login = await sandbox.runWithInput(['login', '--with-api-key'], `${ALICE.apiKey}\n`);
      expect(login).toExitWith(1);
      expect(login.stderr).toMatch(
        /^Cannot save credentials in .*\.arcade \(EACCES: permission denied\)\. .*ARCADE_WORK_DIR\.\n$/,
      );
    } finally {
      chmodSync(sandbox.workDir, 0o755);
    }
    expect(existsSync(sandbox.stateDir)).toBe(false);
  });

  it('a file where .arcade should be: one line naming it and ARCADE_WORK_DIR, and usage status explains', async () => {
    writeFileSync(sandbox.stateDir, 'not a directory');
    const whoami = await sandbox.run(['whoami']);
    expect(whoami).toExitWith(1);
    expect(whoami.stderr).toBe(
      `Cannot read ${sandbox.file('credentials.yaml')}: it, or a directory on its path, is not a directory (ENOTDIR). Check ${sandbox.stateDir} and the directory it is in, or set ARCADE_WORK_DIR to a directory arcade can write.\n`,
    );
    const status = await sandbox.run(['usage', 'status']);
    expect(status).toExitWith(0);
    expect(status.stdout).toContain(`Problem:         ${sandbox.stateDir} is not a directory.`);
    expect(JSON.parse((await sandbox.run(['usage', 'status', '--json'])).stdout)).toMatchObject({
      stateProblem: `${sandbox.stateDir} is not a directory.`,
    });
  });

  it('a directory where usage.json should be: usage status says tracking cannot record, and what to move', async () => {
    mkdirSync(sandbox.file('usage.json'), { recursive: true });
    expect(await sandbox.run(['whoami'])).toExitWith(1);
    const status = await sandbox.run(['usage', 'status']);
    expect(status.stdout).toContain(
      `Problem:         ${sandbox.file('usage.json')} is a directory, not arcade's file; move it away.`,
    );
    expect(posthog.events).toEqual([]);
  });
});

describe('Ctrl-C during usage flush', () => {
  it('exits 130 like every other command, and its run is recorded as interrupted', async () => {
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    await posthog.waitForEvents(1);
    await sandbox.waitForNoProcesses();
    posthog.behaviour = { down: true };
    expect(await sandbox.run(['whoami'])).toExitWith(1);
    await sandbox.waitForNoProcesses();
    posthog.behaviour = { hang: true };
    const arrived = posthog.arrived;
    const child = sandbox.spawn(['usage', 'flush']);
    await pollUntil(() => (posthog.arrived > arrived ? true : undefined), 10_000, 'the flush request');
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)))).toBe(130);
    posthog.behaviour = {};
    expect(await sandbox.run(['usage', 'flush'])).toExitWith(0);
    const interrupted = await pollUntil(
      () => posthog.events.find((event) => event.properties.command_name === 'usage.flush'),
      15_000,
      'the interrupted flush',
    );
    expect(interrupted.properties.error_code).toBe('interrupted');
  });
});

describe('text from files, bound for the terminal', () => {
  it('a linked principal id full of escape sequences: usage status shows it, and none of its controls', async () => {
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    rewriteJson(sandbox.file('usage.json'), (identity) => ({
      ...identity,
      linked_principal_id: 'p\u001b]52;c;eA==\u0007\u009b2J',
    }));
    for (const args of [
      ['usage', 'status'],
      ['usage', 'status', '--json'],
    ]) {
      const result = await sandbox.run(args, { ARCADE_USAGE_TRACKING: '0' });
      expect(result).toExitWith(0);
      expect(result.stdout).toContain(']52;c;eA==');
      // eslint-disable-next-line no-control-regex
      expect(result.stdout.replaceAll('\n', '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
  });
});
