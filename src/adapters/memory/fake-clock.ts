import type { Clock } from '../../domain/ports/clock.js';

/** A clock that only moves when told to (or when slept on). */
export class FakeClock implements Clock {
  private wallMs: number;
  private monoMs = 1000;
  /** Called on every sleep, after time has moved on: lets a test change the world "meanwhile". */
  onSleep: (() => void) | null = null;

  constructor(start = '2026-11-24T12:00:00.000Z') {
    this.wallMs = Date.parse(start);
  }

  now(): Date {
    return new Date(this.wallMs);
  }

  monotonicMs(): number {
    return this.monoMs;
  }

  async sleep(ms: number): Promise<void> {
    this.advance(ms);
    this.onSleep?.();
  }

  advance(ms: number): void {
    this.wallMs += ms;
    this.monoMs += ms;
  }
}
