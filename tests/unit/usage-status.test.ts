import { describe, expect, it } from '@jest/globals';
import { ALICE, commandRun, memoryApp, withAccounts, record } from '../support/memory-app.js';

describe('UsageStatus', () => {
  it('reports nothing yet on a fresh machine, without creating anything', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    const report = await app.usageStatus.execute();
    expect(report).toMatchObject({ distinctId: null, anonymous: null, pendingEvents: 0, stateDir: '/home/ann/.arcade' });
    expect(report.decision).toMatchObject({ enabled: true, reason: 'default' });
    expect(world.identities.identity).toBeNull();
  });

  it('reports the linked principal, pending events and the reason tracking is off', async () => {
    const memory = memoryApp({ DO_NOT_TRACK: '1' });
    const { world, app } = memory;
    withAccounts(world);
    world.identities.identity = { anonId: 'a', linkedPrincipalId: ALICE.principalId, lookup: null };
    await world.outbox.append([
      { uuid: 'u', event: 'e', distinctId: 'd', properties: {}, timestamp: world.clock.now().toISOString() },
    ]);
    const report = await app.usageStatus.execute();
    expect(report).toMatchObject({ distinctId: ALICE.principalId, anonymous: false, pendingEvents: 1 });
    expect(report.decision).toMatchObject({ enabled: false, reason: 'do-not-track', explanation: 'disabled by DO_NOT_TRACK=1' });
    await record(memory, commandRun(world, 'usage.status'));
    expect((await app.usageStatus.execute()).pendingEvents).toBe(1);
  });
});
