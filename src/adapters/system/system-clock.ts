import type { Clock } from '../../domain/ports/clock.js';

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  /** `process.hrtime` is monotonic and machine-wide, so readings of different processes compare. */
  monotonicMs(): number {
    return Number(process.hrtime.bigint() / 1000n) / 1000;
  }

  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
