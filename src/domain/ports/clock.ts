export interface Clock {
  /** Wall-clock time. */
  now(): Date;
  /** A monotonic reading in milliseconds, for durations. */
  monotonicMs(): number;
  /** Resolves after `ms` milliseconds (in tests, after the fake clock has moved on by that much). */
  sleep(ms: number): Promise<void>;
}

export const Clock = Symbol.for('Clock');
