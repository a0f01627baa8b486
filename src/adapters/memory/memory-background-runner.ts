import type { BackgroundRunner } from '../../domain/ports/background-runner.js';

export class MemoryBackgroundRunner implements BackgroundRunner {
  starts = 0;
  /** Of those, how many took over mid-burst from a delivery that ran out of time. */
  continuations = 0;
  /** Set to make starting fail (as a spawn that throws EAGAIN would). */
  failing = false;

  startDelivery(continuesBurst: boolean): number | null {
    if (this.failing) return null;
    this.starts += 1;
    if (continuesBurst) this.continuations += 1;
    return 10_000 + this.starts;
  }
}
