/**
 * Issue "A CLI people install and enjoy": the PostHog project key comes from the build or the
 * environment; with none, nothing is tracked; a key PostHog refuses stops deliveries until it changes.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import type { Sandbox } from '../support/sandbox.js';
import { useStandIns } from '../support/stand-ins.js';

let sandbox: Sandbox;
let posthog: FakePosthog;

useStandIns((world) => ({ sandbox, posthog } = world), { awaitDeliveries: true });

describe('the PostHog project key', () => {
  it('with none in the build (the test build has none) or the environment: nothing tracked, no process, and status says why', async () => {
    const noKey = { ARCADE_POSTHOG_KEY: '' };
    expect(await sandbox.run(['whoami'], noKey)).toExitWith(1);
    expect(await sandbox.deliveryPids()).toEqual([]);
    expect(existsSync(sandbox.file('usage-outbox'))).toBe(false);
    const status = await sandbox.run(['usage', 'status'], noKey);
    expect(status.stdout.split('\n')[0]).toBe(
      'Usage tracking:  disabled: this build has no PostHog project key (ARCADE_POSTHOG_KEY sets one)',
    );
    expect(JSON.parse((await sandbox.run(['usage', 'status', '--json'], noKey)).stdout)).toMatchObject({
      enabled: false,
      reason: 'no-project-key',
    });
    expect(posthog.requests).toEqual([]);
  });

  it('refused by PostHog: events are kept, no delivery starts while the key is the same, and a new key sends them all', async () => {
    posthog.behaviour = { status: 401 };
    expect(await sandbox.run(['whoami'])).toExitWith(1);
    await sandbox.waitForNoProcesses();
    expect(posthog.requests).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect(await sandbox.run(['whoami'])).toExitWith(1);
    // No process was started for them: no request, nothing running.
    expect(await sandbox.deliveryPids()).toEqual([]);
    expect(posthog.requests).toHaveLength(1);
    const status = await sandbox.usageStatus();
    expect(status).toMatchObject({ keyRefused: true, pendingEvents: 4 });
    posthog.behaviour = {};
    expect(await sandbox.run(['whoami'], { ARCADE_POSTHOG_KEY: 'phc_the_right_key' })).toExitWith(1);
    const events = await posthog.waitForEvents(5);
    expect(events.map((event) => event.properties.command_name)).toEqual(Array(5).fill('whoami'));
    await sandbox.waitForNoProcesses();
    expect(await sandbox.usageStatus({ ARCADE_POSTHOG_KEY: 'phc_the_right_key' })).toMatchObject({ keyRefused: false });
  });
});
