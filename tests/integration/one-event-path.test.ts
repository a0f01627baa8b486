/**
 * Issue "One event path and typed wiring", against the built CLI: the alias goes through the
 * outbox and `usage log` holds exactly what PostHog received; debug mode diverts writes, never
 * reads; a linked identity without credentials heals itself; deletes never claim what they did not do.
 */
import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import type { Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, sandbox } = world));

async function status(env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return JSON.parse((await sandbox.run(['usage', 'status', '--json'], env)).stdout) as Record<string, unknown>;
}

describe('one path for everything that leaves the machine', () => {
  it('after login, usage log lists the $create_alias, each entry deep-equal to what PostHog received for its uuid', async () => {
    await sandbox.run(['whoami']);
    expect(await sandbox.run(['login', '--timeout', '20'])).toExitWith(0);
    await sandbox.run(['whoami']);
    await posthog.waitForEvents(4);
    await sandbox.waitForNoProcesses();
    const log = JSON.parse((await sandbox.run(['usage', 'log', '--json'], { ARCADE_USAGE_TRACKING: '0' })).stdout) as Array<{
      message: Record<string, unknown>;
    }>;
    expect(log.map((entry) => entry.message.event)).toContain('$create_alias');
    expect(log).toHaveLength(posthog.events.length);
    for (const entry of log) {
      const received = posthog.events.find((event) => event.uuid === entry.message.uuid);
      expect(entry.message).toEqual(received!.raw);
    }
    // The alias arrived before any event under the principal.
    const aliasAt = posthog.events.findIndex((event) => event.event === '$create_alias');
    const firstAsPrincipal = posthog.events.findIndex(
      (event) => event.event !== '$create_alias' && event.distinct_id === ALICE.principalId,
    );
    expect(aliasAt).toBeGreaterThanOrEqual(0);
    expect(aliasAt).toBeLessThan(firstAsPrincipal);
  });
});

describe('debug mode diverts writes, never reads', () => {
  it('with two events pending, usage status reports 2 and flush sends nothing', async () => {
    posthog.behaviour = { down: true };
    await sandbox.run(['whoami']);
    await sandbox.run(['whoami']);
    await sandbox.waitForNoProcesses();
    posthog.behaviour = {};
    const debug = { ARCADE_USAGE_DEBUG: '1' };
    const report = await status(debug);
    expect(report).toMatchObject({ pendingEvents: 2, debug: true });
    const flush = await sandbox.run(['usage', 'flush'], debug);
    expect(flush.stdout).toContain('nothing was sent');
    expect(flush.stdout).toContain('kept 2');
    expect(posthog.requests).toEqual([]);
    expect((await status()).pendingEvents).toBe(2);
  });

  it('prints nothing when tracking is off', async () => {
    const result = await sandbox.run(['whoami'], { ARCADE_USAGE_DEBUG: '1', ARCADE_USAGE_TRACKING: '0' });
    expect(result.stderr).not.toContain('"event"');
    expect(result.stderr).toBe('Not logged in. Run `arcade login` first.\n');
  });
});

describe('the identity heals itself', () => {
  it('usage.json linked to a principal and no credentials.yaml: the next event goes out under a new anonymous id, and usage.json is unlinked', async () => {
    const oldAnonId = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    mkdirSync(sandbox.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(sandbox.file('usage.json'), JSON.stringify({ anon_id: oldAnonId, linked_principal_id: ALICE.principalId }));
    await sandbox.run(['whoami']);
    const [event] = await posthog.waitForEvents(1);
    expect(event.distinct_id).not.toBe(ALICE.principalId);
    expect(event.distinct_id).not.toBe(oldAnonId);
    expect(event.properties.$process_person_profile).toBe(false);
    expect(sandbox.readJson('usage.json')).toMatchObject({ anon_id: event.distinct_id, linked_principal_id: null });
  });
});

describe('deletes say only what they did', () => {
  it('usage disable reports a pending entry it could not delete instead of claiming it was deleted', async () => {
    posthog.behaviour = { down: true };
    await sandbox.run(['whoami']);
    await sandbox.waitForNoProcesses();
    // A read-only outbox: unlink fails with something other than ENOENT.
    chmodSync(sandbox.file('usage-outbox'), 0o500);
    const disable = await sandbox.run(['usage', 'disable']);
    chmodSync(sandbox.file('usage-outbox'), 0o700);
    expect(disable).toExitWith(1);
    expect(disable.stdout).not.toContain('Deleted');
    expect(disable.stderr).toMatch(/^Cannot delete .*usage-outbox.*: permission denied \(EACCES\)\./);
    expect(disable.stderr).not.toContain('Internal error');
    expect(disable.stderr.trim().split('\n')).toHaveLength(1);
  });
});
