/** Starts the detached process that delivers the outbox. */
export abstract class BackgroundRunner {
  /**
   * Starts one, detached; the caller does not wait for it. Resolves to its process id, or null when
   * the system could not start it (it throws only for a bug). `continuesBurst`: it takes over from
   * a delivery that ran out of time mid-burst, and keeps that delivery's spacing between requests.
   */
  abstract startDelivery(continuesBurst: boolean): number | null;
}
