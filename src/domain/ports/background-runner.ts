/** Starts the detached process that delivers the outbox. */
export abstract class BackgroundRunner {
  /** Starts one, detached; the caller does not wait for it. Never throws. */
  abstract startDelivery(): void;
}
