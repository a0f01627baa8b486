import type { IdSource } from '../../domain/ports/id-source.js';

/** Predictable ids, one count for both kinds: anonymous ids 00000000-0000-4000-8000-000000000001, …; message ids …-7000-… */
export class SequentialIds implements IdSource {
  private next = 0;

  anonymousId(): string {
    return this.take('4');
  }

  messageId(): string {
    return this.take('7');
  }

  private take(version: '4' | '7'): string {
    this.next += 1;
    return `00000000-0000-${version}000-8000-${String(this.next).padStart(12, '0')}`;
  }
}
