import { describe, expect, it } from '@jest/globals';
import { DELIVERED_LOG_LIMIT } from '../../src/domain/delivery-policy.js';
import { commandRun, memoryApp, record } from '../support/memory-app.js';

const DELIVER = { kind: 'foreground', budgetMs: 9000 } as const;

describe('SetTracking', () => {
  it('disable saves the choice, deletes pending events, forgets the anonymous id and the delivered log', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await record(memory, commandRun(world, 'whoami'));
    await app.deliverEvents.execute(DELIVER);
    await record(memory, commandRun(world, 'whoami'));
    await record(memory, commandRun(world, 'whoami'));
    world.outbox.state = {
      ...world.outbox.state,
      consecutiveFailures: 3,
      nextAttemptAt: '2027-01-01T00:00:00.000Z',
    };
    expect(await app.setTracking.execute('disabled')).toEqual({ kind: 'disabled', deletedEvents: 2, forgotIdentity: true });
    expect([world.settings.settings, world.outbox.entries, world.identities.identity, world.outbox.log]).toEqual([
      { kind: 'chosen', tracking: 'disabled', disabledAt: world.clock.now().toISOString() },
      [],
      null,
      [],
    ]);
    expect(world.outbox.state).toMatchObject({ consecutiveFailures: 0, nextAttemptAt: null });
    // Nothing recorded before is sent afterwards, and nothing new is recorded.
    await record(memory, commandRun(world, 'usage.disable'));
    await app.deliverEvents.execute(DELIVER);
    expect(world.sink.received).toHaveLength(1);
    expect(world.outbox.entries).toEqual([]);
  });

  it('never sends, even after a later enable, what a run from before the disable left behind', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await record(memory, commandRun(world, 'whoami')); // stamped before the disable
    const early = world.outbox.entries;
    world.clock.advance(1000);
    await app.setTracking.execute('disabled');
    world.outbox.entries = [...early]; // written after the clear, by a process killed before it could take it back
    world.clock.advance(1000);
    await app.setTracking.execute('enabled');
    await record(memory, commandRun(world, 'usage.enable'));
    const report = await app.deliverEvents.execute(DELIVER);
    expect(world.sink.received.map((m) => m.properties.command_name)).toEqual(['usage.enable']);
    expect(report).toMatchObject({ sent: 1, dropped: 0, kept: 0 });
    expect(world.outbox.entries).toEqual([]);
  });

  it('a disable stamped by a clock a year ahead, then corrected: enable brings it back to now and every later event is sent', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    const yearAhead = new Date(world.clock.now().getTime() + 365 * 86_400_000).toISOString();
    world.settings.settings = { kind: 'chosen', tracking: 'disabled', disabledAt: yearAhead };
    await app.setTracking.execute('enabled');
    expect(world.settings.settings).toEqual({ kind: 'chosen', tracking: 'enabled', disabledAt: world.clock.now().toISOString() });
    world.clock.advance(1000);
    await record(memory, commandRun(world, 'usage.enable'));
    const report = await app.deliverEvents.execute(DELIVER);
    expect(report).toMatchObject({ sent: 1, dropped: 0 });
    // And with the settings edited by hand (no enable ran), nothing is discarded either.
    world.settings.settings = { kind: 'chosen', tracking: 'enabled', disabledAt: yearAhead };
    await record(memory, commandRun(world, 'whoami'));
    expect(await app.deliverEvents.execute(DELIVER)).toMatchObject({ sent: 1, dropped: 0 });
    expect(world.sink.received.map((m) => m.properties.command_name)).toEqual(['usage.enable', 'whoami']);
  });

  it('enable saves the choice and new events flow again', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await app.setTracking.execute('disabled');
    expect(await app.setTracking.execute('enabled')).toEqual({ kind: 'enabled' });
    await record(memory, commandRun(world, 'usage.enable'));
    await app.deliverEvents.execute(DELIVER);
    expect(world.sink.received.map((m) => m.properties.command_name)).toEqual(['usage.enable']);
  });
});

describe('UsageLog', () => {
  it('shows exactly what was delivered, and keeps only the last 100', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    for (let i = 0; i < DELIVERED_LOG_LIMIT + 5; i++) await record(memory, commandRun(world, `c.${i}`));
    world.sink.answers.push({ kind: 'accepted', wire: [] });
    await app.deliverEvents.execute(DELIVER);
    const log = await app.usageLog.execute();
    expect(log).toHaveLength(DELIVERED_LOG_LIMIT);
    // Each entry is the message as it went out: the client library's own properties included.
    expect(log.at(-1)!.wire).toMatchObject({ uuid: world.sink.received.at(-1)!.uuid, properties: { $lib: 'memory' } });
    expect((log[0].wire.properties as Record<string, unknown>).command_name).toBe('c.5');
  });

  it('does not log what PostHog did not accept', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await record(memory, commandRun(world, 'whoami'));
    world.sink.answers.push({ kind: 'failed', reason: 'offline' });
    await app.deliverEvents.execute(DELIVER);
    expect(await app.usageLog.execute()).toEqual([]);
  });
});
