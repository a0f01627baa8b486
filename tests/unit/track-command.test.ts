import { describe, expect, it } from '@jest/globals';
import { NOTICE_TEXT, NOTICE_VERSION } from '../../src/domain/notice.js';
import { ALICE, RUNTIME, commandRun, memoryApp, withAccounts } from '../support/memory-app.js';

describe('TrackCommand', () => {
  it('records one anonymous event and starts a delivery process', async () => {
    const { world, app } = memoryApp();
    const outcome = await app.trackCommand.execute(commandRun(world, 'whoami'));
    const anonId = world.identities.identity!.anonId;
    expect(outcome).toEqual({ kind: 'recorded', distinctId: anonId, notice: NOTICE_TEXT });
    const [event] = world.outbox.messages();
    expect(world.outbox.messages()).toHaveLength(1);
    expect(event).toMatchObject({
      event: 'CLI execution succeeded',
      distinctId: anonId,
      properties: { command_name: 'whoami', duration_ms: 12, $process_person_profile: false },
    });
    expect(world.runner.starts).toBe(1);
  });

  it.each([{ ARCADE_USAGE_TRACKING: '0' }, { DO_NOT_TRACK: '1' }])('does nothing at all when disabled by %j', async (env) => {
    const { world, app } = memoryApp(env);
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    withAccounts(world);
    expect(await app.trackCommand.execute(commandRun(world, 'whoami'))).toEqual({ kind: 'disabled' });
    expect([
      world.outbox.entries,
      world.principals.lookups,
      world.identities.identity,
      world.runner.starts,
      world.settings.noticeVersion,
    ]).toEqual([[], [], null, 0, null]);
  });

  it('does nothing when the saved setting is unreadable (fail closed)', async () => {
    const { world, app } = memoryApp();
    world.settings.settings = { kind: 'unreadable', reason: 'it is not valid JSON' };
    expect(await app.trackCommand.execute(commandRun(world, 'whoami'))).toEqual({ kind: 'disabled' });
    expect(world.outbox.entries).toEqual([]);
  });

  it('writes a lazy alias and the event as one entry, alias first, then goes out as the principal', async () => {
    const { world, app } = memoryApp();
    withAccounts(world);
    await app.trackCommand.execute(commandRun(world, 'whoami'));
    const anonId = world.identities.identity!.anonId;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    await app.trackCommand.execute(commandRun(world, 'usage.status'));
    const entry = world.outbox.entries[1]!;
    expect(entry.messages.map((m) => [m.event, m.distinctId])).toEqual([
      ['$create_alias', ALICE.principalId],
      ['CLI execution succeeded', ALICE.principalId],
    ]);
    expect(entry.messages[0]!.properties.alias).toBe(anonId);
    expect(entry.messages[1]!.properties).not.toHaveProperty('$process_person_profile');
  });

  it('scrubs the error message, including the API key and email', async () => {
    const { world, app } = memoryApp();
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    await app.trackCommand.execute(
      commandRun(world, 'whoami', 1, `rejected ${ALICE.apiKey} of ${ALICE.email} in /home/ann/.arcade`),
    );
    const [event] = world.outbox.messages();
    expect(event!.event).toBe('CLI execution failed');
    expect(event!.properties.error_message).toBe('rejected <redacted> of <redacted> in ~/.arcade');
  });

  it('starts no delivery while one is running or while backing off', async () => {
    const { world, app } = memoryApp();
    world.deliveryLock.held = true;
    await app.trackCommand.execute(commandRun(world, 'whoami'));
    world.deliveryLock.held = false;
    world.deliveryStates.state = {
      ...world.deliveryStates.state,
      consecutiveFailures: 1,
      nextAttemptAt: new Date(world.clock.now().getTime() + 2000).toISOString(),
    };
    await app.trackCommand.execute(commandRun(world, 'whoami'));
    expect(world.runner.starts).toBe(0);
    world.clock.advance(2000);
    await app.trackCommand.execute(commandRun(world, 'whoami'));
    expect(world.runner.starts).toBe(1);
    expect(world.outbox.messages()).toHaveLength(3);
  });

  it('skips the run, and counts it, when the identity file stays locked', async () => {
    const { world, app } = memoryApp();
    world.identities.locked = true;
    expect(await app.trackCommand.execute(commandRun(world, 'whoami'))).toEqual({ kind: 'skipped' });
    expect(world.outbox.messages()).toEqual([]);
    expect((await app.usageStatus.execute()).droppedEvents).toBe(1);
    // The next delivery turns the skip into a counted drop, reported with the next event.
    world.identities.locked = false;
    await app.trackCommand.execute(commandRun(world, 'whoami'));
    await app.deliverEvents.execute({ budgetMs: 9000, lingerMs: 0, handOver: false });
    expect(world.sink.received.map((m) => m.properties.events_dropped)).toEqual([1]);
    expect(world.outbox.entries).toEqual([]);
    expect((await app.usageStatus.execute()).droppedEvents).toBe(1);
  });

  it('shows the notice once per state directory, and never in CI', async () => {
    const { world, app } = memoryApp();
    expect((await app.trackCommand.execute(commandRun(world, 'whoami'))).kind === 'recorded').toBe(true);
    expect(await app.trackCommand.execute(commandRun(world, 'whoami'))).toMatchObject({ notice: null });
    expect(world.settings.noticeVersion).toBe(NOTICE_VERSION);

    const ci = memoryApp({}, { ...RUNTIME, isCi: true });
    expect(await ci.app.trackCommand.execute(commandRun(ci.world, 'whoami'))).toMatchObject({ notice: null });
    expect(ci.world.settings.noticeVersion).toBeNull();
    expect(ci.world.outbox.messages()[0]!.properties.is_ci).toBe(true);
  });
});
