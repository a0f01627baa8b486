import type { BackgroundRunner } from '../../domain/ports/background-runner.js';
import type { MemoryOutbox } from './memory-outbox.js';

export class MemoryBackgroundRunner implements BackgroundRunner {
  starts = 0;
  /** Of those, how many took over mid-burst from a delivery that ran out of time. */
  continuations = 0;
  /** Set to make starting fail (as a spawn that throws EAGAIN would). */
  failing = false;
  /** A delivery process is starting (reserved, and not yet asking for the claim). */
  starting = false;
  /** Run once, as a delivery ends its reservation and before it is gone: a test's way into that moment. */
  whileEnding: (() => Promise<void>) | null = null;

  constructor(private readonly outbox: MemoryOutbox) {}

  async startDelivery(continuesBurst: boolean): Promise<boolean> {
    if (this.outbox.claimed || this.starting || this.failing) return false;
    this.starts += 1;
    if (continuesBurst) this.continuations += 1;
    this.starting = true;
    return true;
  }

  async endStart(): Promise<void> {
    const whileEnding = this.whileEnding;
    this.whileEnding = null;
    await whileEnding?.();
    this.starting = false;
  }
}
