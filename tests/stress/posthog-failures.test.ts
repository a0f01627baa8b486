/**
 * Issue "Every promise holds under attack": delivery against a PostHog that misbehaves in each way
 * an HTTP server can (FAILURE_MODES in the stand-in, also `npm run sink -- --fail MODE`). For each:
 * two commands while PostHog misbehaves, then PostHog as it should be and `usage flush`. Nothing is
 * lost, nothing is received twice after a clear answer, and no delivery process outlives its hard
 * limit. The modes run six at a time, each in its own sandbox against its own server.
 */
import { describe, expect, it } from '@jest/globals';
import { FAILURE_MODES, FakePosthog, type FailureMode } from '../../src/stand-ins/fake-posthog.js';
import { Sandbox } from '../support/sandbox.js';

interface Outcome {
  readonly mode: FailureMode;
  /** Exit codes of the two commands run while PostHog misbehaved, then of `usage flush`. */
  readonly exits: readonly (number | null)[];
  /** Whether every delivery process had ended within its hard limit (9 s), plus a margin for a busy machine. */
  readonly deliveriesEnded: boolean;
  /** How many times PostHog acknowledged each event, sorted (each 1: nothing lost, nothing doubled). */
  readonly acknowledgements: readonly number[];
  /** After the misbehaviour: seconds until delivery tries again. */
  readonly retryInS: number | null;
}

/** Whether a wait ended in time. */
async function inTime(wait: Promise<unknown>): Promise<boolean> {
  try {
    await wait;
    return true;
  } catch (error) {
    // The outcome says so; the test fails on it with the mode named.
    if (error instanceof Error && error.message.startsWith('timed out')) return false;
    throw error;
  }
}

async function tryMode(mode: FailureMode): Promise<Outcome> {
  const posthog = await FakePosthog.start();
  const sandbox = new Sandbox({ posthog: posthog.url });
  try {
    posthog.behaviour = FAILURE_MODES[mode];
    const first = await sandbox.run(['usage', 'status']);
    const second = await sandbox.run(['usage', 'status']);
    const ended = await inTime(sandbox.waitForNoProcesses(12_000));
    const status = await sandbox.usageStatus();
    const nextAttempt = status.nextAttemptAt as string | null;
    const retryInS = nextAttempt ? Math.round((Date.parse(nextAttempt) - Date.now()) / 1000) : null;
    posthog.behaviour = {};
    const flush = await sandbox.run(['usage', 'flush']);
    await inTime(posthog.waitForEvents(3, 15_000)); // the two commands' events and the flush's own
    const endedAfter = await inTime(sandbox.waitForNoProcesses(12_000));
    const counts = new Map<string, number>();
    for (const event of posthog.events) counts.set(event.uuid, (counts.get(event.uuid) ?? 0) + 1);
    return {
      mode,
      exits: [first.code, second.code, flush.code],
      deliveriesEnded: ended && endedAfter,
      acknowledgements: [...counts.values()].sort(),
      retryInS,
    };
  } finally {
    await sandbox.cleanup();
    await posthog.close();
  }
}

describe('PostHog misbehaving', () => {
  it('in each of the 12 ways: nothing lost, nothing doubled after a clear answer, every delivery process ends in time', async () => {
    const modes = Object.keys(FAILURE_MODES) as FailureMode[];
    expect(modes).toHaveLength(12);
    // In waves: all twelve at once (48 processes) starved the 4.9 s answer past its timeout on a loaded machine,
    // and on a machine half as fast so did five others beside it. The answer just inside the request timeout
    // tests a margin of a second, so it runs alone; its result is still checked with the rest. (The run's
    // side of that margin is also proven on a fake clock: unit deliver-events.test.ts, "just inside".)
    const timed: FailureMode = 'answer-after-4.9s';
    const others = modes.filter((mode) => mode !== timed);
    const byMode = new Map<FailureMode, Outcome>();
    for (const wave of [others.slice(0, 6), others.slice(6), [timed]])
      for (const outcome of await Promise.all(wave.map(tryMode))) byMode.set(outcome.mode, outcome);
    const outcomes = modes.map((mode) => byMode.get(mode)!);
    expect(outcomes.map(({ retryInS: _, ...outcome }) => outcome)).toEqual(
      modes.map((mode) => ({ mode, exits: [0, 0, 0], deliveriesEnded: true, acknowledgements: [1, 1, 1] })),
    );
    // Throttled with Retry-After: 120, delivery waits that long, not the 2 s backoff.
    expect(outcomes.find((outcome) => outcome.mode === '429-retry-after')?.retryInS).toBeGreaterThanOrEqual(100);
    // Nothing acknowledged: the backoff of a first failure.
    expect(outcomes.find((outcome) => outcome.mode === '500-forever')?.retryInS).toBeLessThanOrEqual(10);
  });
});
