import { Outbox, type DeliveredRecord } from '../domain/ports/outbox.js';

/** `arcade usage log`: exactly what left this machine, most recent last. */
export class UsageLog {
  static readonly inject = [Outbox] as const;

  constructor(private readonly outbox: Outbox) {}

  execute(): Promise<DeliveredRecord[]> {
    return this.outbox.delivered();
  }
}
