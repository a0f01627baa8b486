/** The fake PostHog, Arcade Cloud and Engine, with two accounts, and a sandbox pointed at them: what every integration test starts from. */
import { afterAll, afterEach, beforeEach, expect } from '@jest/globals';
import { FakeArcadeCloud, type CloudAccount } from '../../src/stand-ins/fake-arcade-cloud.js';
import { FakeArcadeEngine } from '../../src/stand-ins/fake-arcade-engine.js';
import { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { Sandbox } from './sandbox.js';

export const ALICE: CloudAccount = {
  apiKey: 'arc_live_4f8b2c9d1e7a6b3c5d0e9f8a',
  email: 'alice@example.com',
  principalId: 'principal-alice',
};
export const BOB: CloudAccount = {
  apiKey: 'arc_live_bob0000111122223333444455',
  email: 'bob@example.com',
  principalId: 'principal-bob',
};

export interface StandIns {
  posthog: FakePosthog;
  cloud: FakeArcadeCloud;
  engine: FakeArcadeEngine;
  sandbox: Sandbox;
}

/** Both accounts known to the Cloud (the login page logs Alice in), Alice's key known to the Engine. */
export async function startStandIns(): Promise<StandIns> {
  const [posthog, cloud, engine] = await Promise.all([FakePosthog.start(), FakeArcadeCloud.start(), FakeArcadeEngine.start()]);
  cloud.addAccount(ALICE);
  cloud.addAccount(BOB);
  cloud.loginAccount = ALICE;
  engine.apiKeys.add(ALICE.apiKey);
  return { posthog, cloud, engine, sandbox: new Sandbox({ posthog: posthog.url, cloud: cloud.url, engine: engine.url }) };
}

/** Ends every process the sandbox started, deletes it, and closes the servers. */
export async function stopStandIns({ posthog, cloud, engine, sandbox }: StandIns): Promise<void> {
  await sandbox.cleanup();
  await Promise.all([posthog.close(), cloud.close(), engine.close()]);
}

export interface StandInsOptions {
  /**
   * Let each test's delivery processes run on after it, and check once the file's tests are done
   * that every one of them ended within its hard limit (whatever the test did to PostHog), before
   * the sandboxes are deleted. Waiting after each test would spend a delivery's linger on every one.
   */
  readonly awaitDeliveries?: boolean;
}

/**
 * Gives each test of the file fresh stand-ins: started before it and handed to `use` (which sets
 * the file's own variables, and may add to the world), stopped after it.
 */
export function useStandIns(use: (world: StandIns) => void, options: StandInsOptions = {}): void {
  let world: StandIns;
  const awaiting: Sandbox[] = [];
  beforeEach(async () => {
    world = await startStandIns();
    use(world);
  });
  afterEach(async () => {
    if (!options.awaitDeliveries) return stopStandIns(world);
    const { posthog, cloud, engine, sandbox } = world;
    await Promise.all([posthog.close(), cloud.close(), engine.close()]);
    awaiting.push(sandbox);
  });
  afterAll(async () => {
    for (const sandbox of awaiting) {
      // No background process outlives its hard limit (12 s after it started, at the latest).
      await sandbox.waitForNoProcesses(12_000);
      expect(await sandbox.deliveryPids()).toEqual([]);
      await sandbox.cleanup();
    }
  });
}
