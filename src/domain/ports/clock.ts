/** Time, injected so tests can fix it. */
export abstract class Clock {
  /** Wall-clock time. */
  abstract now(): Date;
  /** A monotonic reading in milliseconds, for durations. */
  abstract monotonicMs(): number;
  /** Resolves after `ms` milliseconds (in tests, after the fake clock has moved on by that much). */
  abstract sleep(ms: number): Promise<void>;
}
