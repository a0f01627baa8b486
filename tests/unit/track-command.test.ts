import { BACKOFF_WAITED_OUT_MS } from '../../src/domain/delivery-policy.js';
import { describe, expect, it } from '@jest/globals';
import { NOTICE_TEXT, NOTICE_VERSION } from '../../src/domain/notice.js';
import { ALICE, RUNTIME, commandRun, memoryApp, withAccounts, record } from '../support/memory-app.js';

describe('TrackCommand', () => {
  it('records one anonymous event and starts a delivery process', async () => {
    const memory = memoryApp();
    const { world } = memory;
    const outcome = await record(memory, commandRun(world, 'whoami'));
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
    const memory = memoryApp(env);
    const { world } = memory;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    withAccounts(world);
    expect(await record(memory, commandRun(world, 'whoami'))).toEqual({ kind: 'disabled' });
    expect([
      world.outbox.entries,
      world.principals.lookups,
      world.identities.identity,
      world.runner.starts,
      world.settings.noticeVersion,
    ]).toEqual([[], [], null, 0, null]);
  });

  it('does nothing when the saved setting is unreadable (fail closed)', async () => {
    const memory = memoryApp();
    const { world } = memory;
    world.settings.settings = { kind: 'unreadable', reason: 'it is not valid JSON' };
    expect(await record(memory, commandRun(world, 'whoami'))).toEqual({ kind: 'disabled' });
    expect(world.outbox.entries).toEqual([]);
  });

  it('leaves a lookup to the background delivery, which aliases before any event under the principal', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    withAccounts(world);
    await record(memory, commandRun(world, 'whoami'));
    const anonId = world.identities.identity!.anonId;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    // The command looks nothing up: its event goes under the anonymous id the alias will merge, person processing on.
    await record(memory, commandRun(world, 'usage.status'));
    expect(world.principals.lookups).toEqual([]);
    const [pendingEvent] = world.outbox.entries[1].messages;
    expect([pendingEvent.distinctId, pendingEvent.properties]).toEqual([
      anonId,
      expect.not.objectContaining({ $process_person_profile: false }),
    ]);
    expect(pendingEvent.properties).not.toHaveProperty('$process_person_profile');
    // The background delivery looks it up and queues the alias; later runs go out as the principal.
    await app.linkPendingLogin.execute();
    expect(world.principals.lookups).toEqual([ALICE.apiKey]);
    expect(world.outbox.entries[2].messages.map((m) => [m.event, m.distinctId, m.properties.alias])).toEqual([
      ['$create_alias', ALICE.principalId, anonId],
    ]);
    await record(memory, commandRun(world, 'whoami'));
    expect(world.outbox.entries[3].messages.map((m) => [m.event, m.distinctId])).toEqual([
      ['CLI execution succeeded', ALICE.principalId],
    ]);
    expect(world.outbox.entries[3].messages[0].properties).not.toHaveProperty('$process_person_profile');
    // Looked up once per login.
    await app.linkPendingLogin.execute();
    expect(world.principals.lookups).toEqual([ALICE.apiKey]);
  });

  it('leaves credentials written a moment ago (a login still running links them itself) to a later delivery request', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    withAccounts(world);
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    await record(memory, commandRun(world, 'whoami'));
    world.credentials.justChanged = true;
    await app.linkPendingLogin.execute();
    expect(world.principals.lookups).toEqual([]);
    world.credentials.justChanged = false;
    await app.linkPendingLogin.execute();
    expect(world.principals.lookups).toEqual([ALICE.apiKey]);
  });

  it('leaves the identity alone when nobody is logged in: rotating a stale link is the next command’s, at its event', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await record(memory, commandRun(world, 'whoami'));
    const linked = { ...world.identities.identity!, linkedPrincipalId: 'usr_elsewhere' };
    world.identities.identity = linked;
    const writes = world.identities.writes;
    await app.linkPendingLogin.execute();
    expect([world.identities.identity, world.identities.writes]).toEqual([linked, writes]);
  });

  it('scrubs the error message too (a second line of defence), including the API key and email', async () => {
    const memory = memoryApp();
    const { world } = memory;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    await record(
      memory,
      commandRun(world, 'whoami', 1, {
        code: 'internal',
        message: `rejected ${ALICE.apiKey} of ${ALICE.email} in /home/ann/.arcade`,
      }),
    );
    const [event] = world.outbox.messages();
    expect(event.event).toBe('CLI execution failed');
    expect(event.properties.error_message).toBe('rejected <redacted> of <redacted> in ~/.arcade');
  });

  it('with a linked identity and no credentials, rotates before the event: anonymous, and unlinked (self-healing)', async () => {
    const memory = memoryApp();
    const { world } = memory;
    world.identities.identity = {
      anonId: '00000000-0000-4000-8000-00000000aaaa',
      linkedPrincipalId: ALICE.principalId,
      lookup: null,
    };
    await record(memory, commandRun(world, 'whoami', 1));
    const [event] = world.outbox.messages();
    expect(event.distinctId).not.toBe(ALICE.principalId);
    expect(event.distinctId).not.toBe('00000000-0000-4000-8000-00000000aaaa');
    expect(event.properties.$process_person_profile).toBe(false);
    expect(world.identities.identity).toEqual({ anonId: event.distinctId, linkedPrincipalId: null, lookup: null });
  });

  it('in debug mode prints the event and writes, queues and starts nothing', async () => {
    const memory = memoryApp({ ARCADE_USAGE_DEBUG: '1' });
    const { world } = memory;
    await record(memory, commandRun(world, 'whoami'));
    expect(world.debugOutput.messages.map((m) => m.properties.command_name)).toEqual(['whoami']);
    expect([world.outbox.entries, world.identities.identity, world.runner.starts]).toEqual([[], null, 0]);
  });

  it('starts no delivery while one is running or while a long backoff lasts; a short one the delivery waits out', async () => {
    const memory = memoryApp();
    const { world } = memory;
    const backoff = (ms: number) => ({
      ...world.outbox.state,
      consecutiveFailures: 3,
      nextAttemptAt: new Date(world.clock.now().getTime() + ms).toISOString(),
    });
    world.outbox.claimed = true;
    await record(memory, commandRun(world, 'whoami'));
    world.outbox.claimed = false;
    world.outbox.state = backoff(BACKOFF_WAITED_OUT_MS + 1000);
    await record(memory, commandRun(world, 'whoami'));
    expect(world.runner.starts).toBe(0);
    world.clock.advance(1000);
    await record(memory, commandRun(world, 'whoami'));
    expect(world.runner.starts).toBe(1);
    expect(world.outbox.messages()).toHaveLength(3);
  });

  it.each([
    ['a date that does not parse', 'soon'],
    ['a date further away than the longest backoff', '2099-01-01T00:00:00.000Z'],
  ])('ignores a recorded next attempt that is %s', async (_what, nextAttemptAt) => {
    const memory = memoryApp();
    const { world } = memory;
    world.outbox.state = { ...world.outbox.state, consecutiveFailures: 9, nextAttemptAt };
    await record(memory, commandRun(world, 'whoami'));
    expect(world.runner.starts).toBe(1);
  });

  it('skips the run, and counts it, when the identity file stays locked', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    world.identities.locked = true;
    expect(await record(memory, commandRun(world, 'whoami'))).toEqual({ kind: 'skipped' });
    expect(world.outbox.messages()).toEqual([]);
    expect((await app.usageStatus.execute()).droppedEvents).toBe(1);
    // The next delivery turns the skip into a counted drop, reported with the next event.
    world.identities.locked = false;
    await record(memory, commandRun(world, 'whoami'));
    await app.deliverEvents.execute({ kind: 'foreground', budgetMs: 9000 });
    expect(world.sink.received.map((m) => m.properties.events_dropped)).toEqual([1]);
    expect(world.outbox.entries).toEqual([]);
    expect((await app.usageStatus.execute()).droppedEvents).toBe(1);
  });

  it('shows the notice once per state directory, and never in CI', async () => {
    const memory = memoryApp();
    const { world } = memory;
    expect((await record(memory, commandRun(world, 'whoami'))).kind === 'recorded').toBe(true);
    expect(await record(memory, commandRun(world, 'whoami'))).toMatchObject({ notice: null });
    expect(world.settings.noticeVersion).toBe(NOTICE_VERSION);

    const ci = memoryApp({}, { ...RUNTIME, isCi: true });
    expect(await record(ci, commandRun(ci.world, 'whoami'))).toMatchObject({ notice: null });
    expect(ci.world.settings.noticeVersion).toBeNull();
    expect(ci.world.outbox.messages()[0].properties.is_ci).toBe(true);
  });
});
