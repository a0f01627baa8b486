import type { DeliveredLog, DeliveredRecord } from '../domain/ports/delivered-log.js';

/** `arcade usage log`: exactly what left this machine, most recent last. */
export class UsageLog {
  constructor(private readonly log: DeliveredLog) {}

  execute(): Promise<DeliveredRecord[]> {
    return this.log.recent();
  }
}
