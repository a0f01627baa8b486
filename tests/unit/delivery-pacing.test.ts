/** The pacing of a delivery run as a pure function: plain numbers in, the next step out. */
import { describe, expect, it } from '@jest/globals';
import { BACKGROUND_PACING, nextStep, type PacingState } from '../../src/domain/delivery-pacing.js';

const LINGER = BACKGROUND_PACING.lingerMs;
const SPACING = BACKGROUND_PACING.burstSpacingMs;

/** A run at monotonic time `now` whose budget lets a request start until 3000. */
function state(fields: Partial<PacingState>): PacingState {
  return {
    now: 0,
    requests: 0,
    lastRequestAt: Number.NEGATIVE_INFINITY,
    lastRequestFits: 3000,
    waitedSinceRequest: false,
    pending: true,
    pendingIsBurst: false,
    continuesBurst: false,
    ...fields,
  };
}

describe('nextStep, unpaced (usage flush, login)', () => {
  it('sends while anything is pending, with no linger and no spacing, and ends when nothing is', () => {
    expect(nextStep(null, state({ requests: 3, lastRequestAt: 0, pendingIsBurst: true }))).toEqual({ kind: 'send' });
    expect(nextStep(null, state({ requests: 3, pending: false }))).toEqual({ kind: 'drained' });
  });
});

describe('nextStep, paced (the background delivery)', () => {
  it('sends the first request at once, and ends at once when nothing is pending', () => {
    expect(nextStep(BACKGROUND_PACING, state({}))).toEqual({ kind: 'send' });
    expect(nextStep(BACKGROUND_PACING, state({ pending: false }))).toEqual({ kind: 'drained' });
  });

  it('lingers after a request for more events, never past the last moment a request fits', () => {
    expect(nextStep(BACKGROUND_PACING, state({ now: 100, requests: 1, lastRequestAt: 100 }))).toEqual({
      kind: 'wait',
      until: 100 + LINGER,
    });
    expect(nextStep(BACKGROUND_PACING, state({ now: 2500, requests: 1, lastRequestAt: 2500 }))).toEqual({
      kind: 'wait',
      until: 3000,
    });
    // Lingered, and nothing came: the run ends.
    const lingered = { now: 1100, requests: 1, lastRequestAt: 100, waitedSinceRequest: true };
    expect(nextStep(BACKGROUND_PACING, state({ ...lingered, pending: false }))).toEqual({ kind: 'drained' });
  });

  it('sends what one command run left at once after the linger', () => {
    const lingered = state({ now: 1100, requests: 1, lastRequestAt: 100, waitedSinceRequest: true });
    expect(nextStep(BACKGROUND_PACING, lingered)).toEqual({ kind: 'send' });
  });

  it('keeps a burst the spacing after the last request, and then sends', () => {
    const burst = { requests: 1, lastRequestAt: 0, waitedSinceRequest: true, pendingIsBurst: true, lastRequestFits: 8000 };
    expect(nextStep(BACKGROUND_PACING, state({ ...burst, now: LINGER }))).toEqual({ kind: 'wait', until: SPACING });
    expect(nextStep(BACKGROUND_PACING, state({ ...burst, now: SPACING }))).toEqual({ kind: 'send' });
  });

  it('hands a burst over when the spacing ends after the last moment a request fits', () => {
    const burst = { requests: 1, lastRequestAt: 0, waitedSinceRequest: true, pendingIsBurst: true };
    expect(nextStep(BACKGROUND_PACING, state({ ...burst, now: LINGER, lastRequestFits: SPACING - 1 }))).toEqual({
      kind: 'hand-over',
    });
  });

  it('keeps a predecessor’s spacing for a successor’s first request, cut short so that it always sends', () => {
    const successor = { continuesBurst: true, lastRequestAt: -1000 };
    expect(nextStep(BACKGROUND_PACING, state({ ...successor, lastRequestFits: 8000 }))).toEqual({
      kind: 'wait',
      until: SPACING - 1000,
    });
    // The spacing ends after the last moment a request fits: a run that has not sent sends then, never hands over.
    expect(nextStep(BACKGROUND_PACING, state({ ...successor, lastRequestFits: 1500 }))).toEqual({ kind: 'wait', until: 1500 });
    expect(nextStep(BACKGROUND_PACING, state({ ...successor, now: 1500, lastRequestFits: 1500 }))).toEqual({ kind: 'send' });
    // What a successor's first request carries is a burst by inheritance, whatever it gathered.
    expect(nextStep(BACKGROUND_PACING, state({ ...successor, continuesBurst: false, pendingIsBurst: true }))).toEqual({
      kind: 'send',
    });
  });
});
