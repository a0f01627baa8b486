import { describe, expect, it } from '@jest/globals';
import {
  BURST_SPACING_MS,
  DELIVERY_LINGER_MS,
  MAX_RETRY_DELAY_MS,
  OUTBOX_MAX_AGE_MS,
  OUTBOX_MAX_EVENTS,
  PAUSE_CHECK_MS,
  REQUEST_TIMEOUT_MS,
} from '../../src/domain/delivery-policy.js';
import type { DeliveryMode } from '../../src/application/deliver-events.js';
import { commandRun, memoryApp, record, type MemoryApp } from '../support/memory-app.js';

const BACKGROUND: DeliveryMode = { kind: 'background', budgetMs: 9000, continuesBurst: false, beforeRequest: async () => {} };
const CONTINUING: DeliveryMode = { ...BACKGROUND, continuesBurst: true };
const FOREGROUND: DeliveryMode = { kind: 'foreground', budgetMs: 15_000 };

async function withEvents(count: number, env = {}) {
  const memory = memoryApp(env);
  for (let i = 0; i < count; i++) await record(memory, commandRun(memory.world, `command.${i}`));
  return memory;
}

describe('DeliverEvents', () => {
  it('sends everything pending in one request, in order, and deletes exactly what was acknowledged', async () => {
    const { world, app } = await withEvents(3);
    const uuids = world.outbox.messages().map((m) => m.uuid);
    const report = await app.deliverEvents.execute(BACKGROUND);
    expect(report).toMatchObject({ busy: false, sent: 3, dropped: 0, kept: 0, lastResult: 'delivered' });
    expect(world.sink.requests.map((r) => r.map((m) => m.uuid))).toEqual([uuids]);
    expect(world.outbox.entries).toEqual([]);
    expect(world.outbox.claimed).toBe(false);
  });

  it('keeps events and backs off when PostHog fails, then delivers them unchanged', async () => {
    const { world, app } = await withEvents(2);
    const before = world.outbox.messages();
    world.sink.answers.push({ kind: 'failed', reason: 'HTTP 500' });
    const starts = world.runner.starts;
    const failed = await app.deliverEvents.execute(BACKGROUND);
    expect(failed).toMatchObject({ sent: 0, kept: 2, lastResult: 'failed', lastDetail: 'HTTP 500' });
    expect(world.outbox.state.consecutiveFailures).toBe(1);
    expect(world.outbox.state.nextAttemptAt).toBe(new Date(world.clock.now().getTime() + 2000).toISOString());
    expect(world.runner.starts).toBe(starts); // a failed run hands over to nobody: backoff decides the next
    await app.deliverEvents.execute(BACKGROUND);
    expect(world.sink.received).toEqual(before);
    expect(world.outbox.state).toMatchObject({ consecutiveFailures: 0, nextAttemptAt: null });
  });

  it('never sends again what PostHog acknowledged before a batch failed (a client that split the batch)', async () => {
    const { world, app } = await withEvents(3);
    const [first, second, third] = world.outbox.messages();
    world.sink.answers.push({
      kind: 'failed',
      reason: 'HTTP 413',
      acknowledged: [first, second].map((m) => ({ uuid: m.uuid, event: m.event, properties: { ...m.properties } })),
    });
    const failed = await app.deliverEvents.execute(BACKGROUND);
    expect(failed).toMatchObject({ sent: 2, kept: 1, lastResult: 'failed' });
    expect(world.outbox.messages().map((m) => m.uuid)).toEqual([third.uuid]);
    expect(world.outbox.log.map((record) => record.wire.uuid)).toEqual([first.uuid, second.uuid]);
    world.clock.advance(2000);
    await app.deliverEvents.execute(BACKGROUND);
    expect(world.sink.received.map((m) => m.uuid)).toEqual([third.uuid]);
  });

  it('waits as long as PostHog asks (Retry-After), up to the longest backoff', async () => {
    const { world, app } = await withEvents(1);
    world.sink.answers.push({ kind: 'failed', reason: 'HTTP 429', retryAfterMs: 120_000 });
    await app.deliverEvents.execute(BACKGROUND);
    expect(Date.parse(world.outbox.state.nextAttemptAt ?? '')).toBe(world.clock.now().getTime() + 120_000);
    world.sink.answers.push({ kind: 'failed', reason: 'HTTP 429', retryAfterMs: 86_400_000 });
    world.clock.advance(120_000);
    await app.deliverEvents.execute(BACKGROUND);
    expect(Date.parse(world.outbox.state.nextAttemptAt ?? '')).toBe(world.clock.now().getTime() + MAX_RETRY_DELAY_MS);
  });

  it('drops a batch PostHog rejects as invalid, entry by entry, keeping the valid ones', async () => {
    const { world, app } = await withEvents(3);
    const bad = world.outbox.messages()[1].uuid;
    world.sink.answer = (messages) =>
      messages.some((m) => m.uuid === bad) ? { kind: 'rejected', status: 400 } : { kind: 'accepted', wire: [] };
    const report = await app.deliverEvents.execute(BACKGROUND);
    expect(report).toMatchObject({ sent: 2, dropped: 1, kept: 0 });
    expect(world.sink.requests.map((r) => r.length)).toEqual([3, 1, 1, 1]);
    expect(world.sink.received.map((m) => m.uuid)).not.toContain(bad);
    expect(world.outbox.state.droppedTotal).toBe(1);
  });

  it('bounds the outbox as events are appended, counts the drops and reports them on the next delivered event', async () => {
    const memory = await withEvents(1);
    const { world, app } = memory;
    world.clock.advance(OUTBOX_MAX_AGE_MS + 1);
    for (let i = 0; i < OUTBOX_MAX_EVENTS + 2; i++) {
      await record(memory, commandRun(world, 'whoami'));
      expect((await world.outbox.pendingCount()).messages).toBeLessThanOrEqual(OUTBOX_MAX_EVENTS);
    }
    expect(world.outbox.state).toMatchObject({ droppedUnreported: 3, droppedTotal: 3 });
    const report = await app.deliverEvents.execute(BACKGROUND);
    expect(report.dropped).toBe(0);
    expect(report.sent).toBe(OUTBOX_MAX_EVENTS);
    expect(world.sink.requests.length).toBe(10);
    expect(world.sink.requests[0][0].properties.events_dropped).toBe(3);
    expect(world.sink.requests[1][0].properties).not.toHaveProperty('events_dropped');
    expect(world.outbox.state).toMatchObject({ droppedUnreported: 0, droppedTotal: 3 });
  });

  it('leaves the bound to the running delivery when one holds the claim as events are appended', async () => {
    const memory = await withEvents(0);
    const { world, app } = memory;
    world.outbox.claimed = true;
    for (let i = 0; i < OUTBOX_MAX_EVENTS + 2; i++) await record(memory, commandRun(world, 'whoami'));
    expect((await world.outbox.pendingCount()).messages).toBe(OUTBOX_MAX_EVENTS + 2);
    world.outbox.claimed = false;
    const report = await app.deliverEvents.execute(BACKGROUND);
    expect([report.dropped, report.sent]).toEqual([2, OUTBOX_MAX_EVENTS]);
  });

  it('does nothing while another delivery holds the lock', async () => {
    const { world, app } = await withEvents(1);
    world.outbox.claimed = true;
    expect(await app.deliverEvents.execute(BACKGROUND)).toMatchObject({ busy: true, sent: 0, kept: 1 });
    expect(world.sink.requests).toEqual([]);
  });

  it('delivers what a command appended while its reservation stood, though the claim was busy when it asked', async () => {
    const memory = await withEvents(0);
    const { world, app } = memory;
    // A command started this process; another run holds the claim as it asks for it.
    world.runner.starting = true;
    world.outbox.claimed = true;
    world.runner.whileEnding = async () => {
      // That run ends, and a command appends: it sees this process's reservation, so starts nobody.
      world.outbox.claimed = false;
      await record(memory, commandRun(world, 'whoami'));
    };
    const report = await app.deliverEvents.execute(BACKGROUND);
    expect(world.runner.starts).toBe(0);
    expect(report).toMatchObject({ busy: false, sent: 1, kept: 0 });
  });

  it('stops before sending when the user opts out meanwhile, and ends the reservation that started it', async () => {
    const { world, app } = await withEvents(2);
    // A command started this process (its reservation holds), then `usage disable` ran before it asked for the claim.
    expect(world.runner.starting).toBe(true);
    world.settings.settings = { kind: 'chosen', tracking: 'disabled' };
    expect(await app.deliverEvents.execute(BACKGROUND)).toMatchObject({ sent: 0, kept: 2 });
    expect(world.sink.requests).toEqual([]);
    expect(world.runner.starting).toBe(false);
  });

  it('leaves no reservation behind when no process could start', async () => {
    const memory = await withEvents(0);
    const { world } = memory;
    world.runner.failing = true;
    await record(memory, commandRun(world, 'whoami'));
    expect([world.runner.starts, world.runner.starting]).toEqual([0, false]); // the next command tries again at once
    world.runner.failing = false;
    await record(memory, commandRun(world, 'whoami'));
    expect([world.runner.starts, world.runner.starting]).toEqual([1, true]);
  });

  it('hands over to a successor when its time runs out with events pending (not a burst: the successor sends at once)', async () => {
    const { world, app } = await withEvents(1);
    const starts = world.runner.starts;
    // While the first request is in flight, a command records another event and most of the budget goes by.
    world.sink.answer = () => {
      if (world.sink.requests.length === 1) {
        world.clock.advance(7000);
        void world.outbox.append([
          { uuid: 'during-send', event: 'e', distinctId: 'd', properties: {}, timestamp: world.clock.now().toISOString() },
        ]);
      }
      return { kind: 'accepted', wire: [] };
    };
    const report = await app.deliverEvents.execute(BACKGROUND);
    expect(report).toMatchObject({ sent: 1, kept: 1 });
    expect(world.sink.requests).toHaveLength(1);
    expect(world.runner.starts).toBe(starts + 1);
    expect(world.runner.continuations).toBe(0);
  });

  it('takes an answer that comes just inside the request timeout, and starts no request that could end past the hard limit', async () => {
    const { world, app } = await withEvents(1);
    const deadline = world.clock.monotonicMs() + BACKGROUND.budgetMs;
    const requests: { readonly at: number; readonly timeoutMs: number }[] = [];
    world.sink.answer = (_messages, timeoutMs) => {
      requests.push({ at: world.clock.monotonicMs(), timeoutMs });
      // PostHog answers 0.1 s before the request would time out; meanwhile a command records an event.
      world.clock.advance(timeoutMs - 100);
      if (requests.length === 1)
        void world.outbox.append([
          { uuid: 'meanwhile', event: 'e', distinctId: 'd', properties: {}, timestamp: world.clock.now().toISOString() },
        ]);
      return { kind: 'accepted', wire: [] };
    };
    const starts = world.runner.starts;
    const report = await app.deliverEvents.execute(BACKGROUND);
    expect(report).toMatchObject({ sent: 1, kept: 1, lastResult: 'delivered' });
    // A second request would not fit in what is left: the event goes to a successor, which sends at once.
    expect(requests).toEqual([{ at: deadline - BACKGROUND.budgetMs, timeoutMs: REQUEST_TIMEOUT_MS }]);
    expect([world.runner.starts, world.runner.continuations]).toEqual([starts + 1, 0]);
    expect(world.clock.monotonicMs()).toBeLessThanOrEqual(deadline);
  });

  it('delivers, after releasing the lock, an event written while it held it', async () => {
    const { world, app } = await withEvents(1);
    world.sink.answer = () => {
      if (world.sink.requests.length === 1)
        void world.outbox.append([
          { uuid: 'late', event: 'e', distinctId: 'd', properties: {}, timestamp: world.clock.now().toISOString() },
        ]);
      return { kind: 'accepted', wire: [] };
    };
    const report = await app.deliverEvents.execute(FOREGROUND);
    expect(report).toMatchObject({ sent: 2, kept: 0 });
    expect(world.sink.received.map((m) => m.uuid)).toContain('late');
  });

  it('waits for a running delivery when asked to (usage flush), then delivers what is left', async () => {
    const { world, app } = await withEvents(2);
    world.outbox.claimed = true;
    let sleeps = 0;
    world.clock.onSleep = () => {
      sleeps += 1;
      if (sleeps === 5) world.outbox.claimed = false;
    };
    const report = await app.deliverEvents.execute(FOREGROUND);
    expect(report).toMatchObject({ busy: false, sent: 2, kept: 0 });
    expect(sleeps).toBe(5);
  });

  it('gives up waiting for the lock within its budget', async () => {
    const { world, app } = await withEvents(1);
    world.outbox.claimed = true;
    const start = world.clock.monotonicMs();
    expect(await app.deliverEvents.execute(FOREGROUND)).toMatchObject({
      busy: true,
      kept: 1,
    });
    expect(world.clock.monotonicMs() - start).toBeLessThanOrEqual(15_000);
  });

  it('records the delivery state after every request, not only when the run ends', async () => {
    const { world, app } = await withEvents(1);
    const seenDuringSecond: Array<string | null> = [];
    world.sink.answer = () => {
      if (world.sink.requests.length === 1)
        void world.outbox.append([
          { uuid: 'next', event: 'e', distinctId: 'd', properties: {}, timestamp: world.clock.now().toISOString() },
        ]);
      else seenDuringSecond.push(world.outbox.state.lastResult);
      return { kind: 'accepted', wire: [] };
    };
    await app.deliverEvents.execute(BACKGROUND);
    expect(world.sink.requests).toHaveLength(2);
    expect(seenDuringSecond).toEqual(['delivered']);
  });

  it('never sends again what PostHog acknowledged but could not be deleted, and says why', async () => {
    const { world, app } = await withEvents(3);
    for (const entry of world.outbox.entries) world.outbox.undeletable.add(entry.id);
    const first = await app.deliverEvents.execute(BACKGROUND);
    expect(first).toMatchObject({ sent: 3, kept: 0 });
    expect(world.outbox.state).toMatchObject({ stuckEntries: [...world.outbox.undeletable], stuckReason: 'permission denied' });
    const again = await app.deliverEvents.execute(FOREGROUND);
    expect(again).toMatchObject({ sent: 0, kept: 0 });
    expect(world.sink.requests).toHaveLength(1);
    // Deletable again: the next run deletes them and forgets them.
    world.outbox.undeletable.clear();
    await app.deliverEvents.execute(BACKGROUND);
    expect(world.outbox.entries).toEqual([]);
    expect(world.outbox.state).toMatchObject({ stuckEntries: [], stuckReason: null });
    expect(world.sink.requests).toHaveLength(1);
  });

  it('waits out a backoff that ends within its budget, and leaves one that does not for later', async () => {
    const { world, app } = await withEvents(1);
    const backoff = (ms: number) => ({
      ...world.outbox.state,
      consecutiveFailures: 2,
      nextAttemptAt: new Date(world.clock.now().getTime() + ms).toISOString(),
    });
    world.outbox.state = backoff(8000);
    const late = await app.deliverEvents.execute(BACKGROUND);
    expect(late).toMatchObject({ sent: 0, kept: 1 });
    expect(world.sink.requests).toHaveLength(0);
    world.outbox.state = backoff(3000);
    const startedAt = world.clock.now().getTime();
    let sentAt = 0;
    world.sink.answer = () => {
      sentAt = world.clock.now().getTime();
      return { kind: 'accepted', wire: [] };
    };
    const waited = await app.deliverEvents.execute(BACKGROUND);
    expect(waited).toMatchObject({ sent: 1, kept: 0 });
    expect(sentAt - startedAt).toBeGreaterThanOrEqual(3000);
  });

  it('drops an entry whose date does not parse instead of keeping it for ever', async () => {
    const { world, app } = await withEvents(2);
    world.outbox.entries = [{ ...world.outbox.entries[0], recordedAt: 'not a date' }, world.outbox.entries[1]];
    const starts = world.runner.starts;
    const report = await app.deliverEvents.execute(BACKGROUND);
    expect(report).toMatchObject({ sent: 1, dropped: 1, kept: 0 });
    expect(world.outbox.entries).toEqual([]);
    expect(world.runner.starts).toBe(starts); // nothing left over, so no successor
  });

  it('sends an event stamped a year ahead (a clock that ran ahead) as of now, and keeps the others as stamped', async () => {
    const { world, app } = await withEvents(2);
    const [first, second] = world.outbox.entries;
    const yearAhead = new Date(world.clock.now().getTime() + 365 * 86_400_000).toISOString();
    world.outbox.entries = [{ ...first, messages: first.messages.map((m) => ({ ...m, timestamp: yearAhead })) }, second];
    const before = world.clock.now().getTime();
    expect(await app.deliverEvents.execute(BACKGROUND)).toMatchObject({ sent: 2, dropped: 0 });
    const [sentFirst, sentSecond] = world.sink.received.map((m) => Date.parse(m.timestamp));
    expect(sentFirst).toBeGreaterThanOrEqual(before);
    expect(sentFirst).toBeLessThanOrEqual(world.clock.now().getTime());
    expect(sentSecond).toBe(Date.parse(second.messages[0].timestamp));
  });

  it('keeps events PostHog refused for the project key, starts no delivery until the key changes, then sends them', async () => {
    const memory = await withEvents(2);
    const { world, app } = memory;
    world.sink.answers.push({ kind: 'key-refused', status: 401 });
    expect(await app.deliverEvents.execute(BACKGROUND)).toMatchObject({ sent: 0, dropped: 0, kept: 2 });
    expect(world.outbox.state.refusedKey).toBe(world.sink.key);
    const starts = world.runner.starts;
    await record(memory, commandRun(world, 'whoami'));
    expect(world.runner.starts).toBe(starts);
    world.sink.key = 'another-project-key';
    await record(memory, commandRun(world, 'whoami'));
    expect(world.runner.starts).toBe(starts + 1);
    expect(await app.deliverEvents.execute(BACKGROUND)).toMatchObject({ sent: 4, kept: 0 });
    expect(world.outbox.state.refusedKey).toBeNull();
  });

  it('neither sends nor writes anything while tracking is off', async () => {
    const { world, app } = await withEvents(2);
    world.settings.settings = { kind: 'chosen', tracking: 'disabled' };
    const stateBefore = world.outbox.state;
    const report = await app.deliverEvents.execute(FOREGROUND);
    expect(report).toMatchObject({ sent: 0, kept: 2 });
    expect(world.sink.requests).toHaveLength(0);
    expect(world.outbox.state).toBe(stateBefore);
    expect(world.outbox.claims).toBe(0);
  });
});

describe('DeliverEvents pacing (a background run: a burst of commands makes few requests, however slow each command is)', () => {
  /** One command run's entry, recorded now. */
  function commandRan({ world }: MemoryApp, uuid: string, event = 'e'): void {
    void world.outbox.append([{ uuid, event, distinctId: 'd', properties: {}, timestamp: world.clock.now().toISOString() }]);
  }

  /** Another command's event every `everyMs` of the run's time, for as long as the test lets it. */
  function commandsKeepComing(memory: MemoryApp, everyMs: number): { stop: () => void } {
    let last = memory.world.clock.monotonicMs();
    let coming = true;
    memory.world.clock.onSleep = () => {
      for (; coming && memory.world.clock.monotonicMs() - last >= everyMs; last += everyMs) commandRan(memory, `cmd-${last}`);
    };
    return { stop: () => (coming = false) };
  }

  /** A command's event as each of the run's sleeps for which `on` holds ends (counted from 1; time moves by them); `also` runs after each. */
  function commandsOnSleeps(memory: MemoryApp, on: (sleep: number) => boolean, also?: (sleep: number) => void): void {
    let sleeps = 0;
    memory.world.clock.onSleep = () => {
      sleeps += 1;
      if (on(sleeps)) commandRan(memory, `cmd-${sleeps}`);
      also?.(sleeps);
    };
  }

  /** When each request went out, in ms since `from` (the memory sink answers at once). */
  function requestTimes({ world }: MemoryApp, from: number): number[] {
    const times: number[] = [];
    world.sink.answer = () => {
      times.push(world.clock.monotonicMs() - from);
      return { kind: 'accepted', wire: [] };
    };
    return times;
  }

  it('sends a lone event at once and ends a linger later', async () => {
    const memory = await withEvents(1);
    const start = memory.world.clock.monotonicMs();
    const times = requestTimes(memory, start);
    expect(await memory.app.deliverEvents.execute(BACKGROUND)).toMatchObject({ sent: 1, kept: 0 });
    expect(times).toEqual([0]);
    expect(memory.world.clock.monotonicMs() - start).toBe(DELIVERY_LINGER_MS);
  });

  it('sends the first request at once, then, while a linger gathers several commands, keeps requests the burst spacing apart', async () => {
    const memory = await withEvents(1);
    const start = memory.world.clock.monotonicMs();
    const times = requestTimes(memory, start);
    const starts = memory.world.runner.starts;
    const commands = commandsKeepComing(memory, 150);
    const report = await memory.app.deliverEvents.execute({ ...BACKGROUND, budgetMs: 20_000 });
    commands.stop();
    expect(times).toEqual([0, 3000, 6000, 9000, 12_000]);
    // The next would fall past the last moment a request fits (budget less the request timeout): handed over.
    expect(report.kept).toBeGreaterThan(0);
    expect([memory.world.runner.starts - starts, memory.world.runner.continuations]).toEqual([1, 1]);
    // Nothing waited longer than the spacing: each request carried every event recorded before it.
    expect(memory.world.sink.requests.slice(1).map((request) => request.length)).toEqual([20, 20, 20, 20]);
  });

  it('hands a burst over early rather than make a request the spacing does not allow yet (one request a spacing, across processes)', async () => {
    const memory = await withEvents(1);
    const times = requestTimes(memory, memory.world.clock.monotonicMs());
    const commands = commandsKeepComing(memory, 150);
    // 9 s less its start-up: a request may start until 2.8 s, and the burst's next is due at 3 s.
    await memory.app.deliverEvents.execute({ ...BACKGROUND, budgetMs: 8800 });
    expect(times).toEqual([0]);
    expect(memory.world.runner.continuations).toBe(1);
    // The successor, started a moment later, keeps the spacing from the last request (recorded in the state).
    memory.world.clock.advance(300);
    const successorStart = memory.world.clock.monotonicMs();
    const successorTimes = requestTimes(memory, successorStart);
    await memory.app.deliverEvents.execute(CONTINUING);
    commands.stop();
    expect(successorTimes[0]).toBe(BURST_SPACING_MS - DELIVERY_LINGER_MS - 300);
  });

  it('starts a continuing run at once when the last request is a spacing ago, or its time is unknown, unparseable or in the future', async () => {
    for (const lastAttemptAt of [-BURST_SPACING_MS, null, 'not a date', 3_600_000]) {
      const memory = await withEvents(1);
      const { world } = memory;
      world.outbox.state = {
        ...world.outbox.state,
        lastAttemptAt:
          typeof lastAttemptAt === 'number' ? new Date(world.clock.now().getTime() + lastAttemptAt).toISOString() : lastAttemptAt,
      };
      const times = requestTimes(memory, world.clock.monotonicMs());
      await memory.app.deliverEvents.execute(CONTINUING);
      expect([lastAttemptAt, times]).toEqual([lastAttemptAt, [0]]);
    }
  });

  it('sends at the last moment a request fits rather than hand over having sent nothing', async () => {
    const memory = await withEvents(1);
    const { world } = memory;
    world.outbox.state = { ...world.outbox.state, lastAttemptAt: world.clock.now().toISOString() };
    const times = requestTimes(memory, world.clock.monotonicMs());
    const starts = world.runner.starts;
    // 7 s of budget less the 6 s request timeout: the last request fits at 1 s, before the spacing (3 s) ends.
    expect(await memory.app.deliverEvents.execute({ ...CONTINUING, budgetMs: 7000 })).toMatchObject({ sent: 1, kept: 0 });
    expect(times).toEqual([1000]);
    expect(world.runner.starts).toBe(starts);
  });

  it('sends each command at once after the linger when they come a second apart (a person, or a script that waits)', async () => {
    const memory = await withEvents(1);
    const { world } = memory;
    const times = requestTimes(memory, world.clock.monotonicMs());
    // The linger's checks are half a second apart: a command at every other one.
    commandsOnSleeps(memory, (sleep) => sleep % 2 === 0 && sleep <= 8);
    expect(await memory.app.deliverEvents.execute({ ...BACKGROUND, budgetMs: 20_000 })).toMatchObject({ sent: 5, kept: 0 });
    expect(times).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('keeps the spacing for a successor’s first request only: after it, commands a second apart go at once again', async () => {
    const memory = await withEvents(1);
    const { world } = memory;
    world.outbox.state = { ...world.outbox.state, lastAttemptAt: new Date(world.clock.now().getTime() - 1000).toISOString() };
    const times = requestTimes(memory, world.clock.monotonicMs());
    commandsOnSleeps(memory, (sleep) => sleep >= 6 && sleep % 2 === 0 && sleep <= 10);
    expect(await memory.app.deliverEvents.execute({ ...CONTINUING, budgetMs: 20_000 })).toMatchObject({ sent: 4, kept: 0 });
    expect(times).toEqual([2000, 3000, 4000, 5000]);
  });

  it('sends a login’s alias and event at once after the linger: one command run, queued as two entries', async () => {
    const memory = await withEvents(1);
    const { world } = memory;
    const times = requestTimes(memory, world.clock.monotonicMs());
    commandsOnSleeps(
      memory,
      () => false,
      (sleep) => {
        if (sleep !== 1) return;
        commandRan(memory, 'alias', '$create_alias');
        commandRan(memory, 'login');
      },
    );
    await memory.app.deliverEvents.execute(BACKGROUND);
    expect(times).toEqual([0, 1000]);
  });

  it('stops within half a second of an opt-out made while it pauses, and sends nothing more', async () => {
    const memory = await withEvents(1);
    const { world } = memory;
    const start = world.clock.monotonicMs();
    const times = requestTimes(memory, start);
    let disabledAt = 0;
    commandsOnSleeps(
      memory,
      () => true,
      (sleep) => {
        if (sleep !== 4) return;
        world.settings.settings = { kind: 'chosen', tracking: 'disabled' };
        disabledAt = world.clock.monotonicMs();
      },
    );
    await memory.app.deliverEvents.execute({ ...BACKGROUND, budgetMs: 20_000 });
    // The linger gathered two commands (a burst): it paused for the spacing, and the opt-out came in that pause.
    expect(times).toEqual([0]);
    expect(world.clock.monotonicMs() - disabledAt).toBeLessThanOrEqual(PAUSE_CHECK_MS);
    expect(world.outbox.claimed).toBe(false);
  });
});

describe('FlushEvents (usage flush)', () => {
  it('says how the flush ended: delivered, incomplete, busy, tracking off, or debug', async () => {
    const delivered = await withEvents(2);
    expect(await delivered.app.flushEvents.execute()).toMatchObject({ kind: 'delivered', report: { sent: 2, kept: 0 } });

    const failing = await withEvents(1);
    failing.world.sink.answers.push({ kind: 'failed', reason: 'HTTP 500' });
    expect(await failing.app.flushEvents.execute()).toMatchObject({
      kind: 'incomplete',
      report: { kept: 1, lastDetail: 'HTTP 500' },
    });

    const busy = await withEvents(1);
    busy.world.outbox.claimed = true;
    expect(await busy.app.flushEvents.execute()).toEqual({ kind: 'busy' });

    const off = await withEvents(1);
    off.world.settings.settings = { kind: 'chosen', tracking: 'disabled' };
    expect(await off.app.flushEvents.execute()).toMatchObject({
      kind: 'tracking-off',
      explanation: 'disabled by `arcade usage disable`',
      report: { sent: 0 },
    });

    const debug = await withEvents(1, { ARCADE_USAGE_DEBUG: '1' });
    expect(await debug.app.flushEvents.execute()).toMatchObject({ kind: 'debug', report: { sent: 0 } });
    expect([off.world.sink.requests, debug.world.sink.requests]).toEqual([[], []]);
  });
});
