/**
 * Issue "Every promise holds under attack, round 2": wrong clocks, drops that went uncounted, and
 * the machine's refusals, each tried against the built CLI.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
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
