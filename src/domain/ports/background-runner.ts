/** Starts the detached process that delivers the outbox. */
export abstract class BackgroundRunner {
  /** Starts one, detached; the caller does not wait for it. Resolves to its process id, or null when it could not start. Never throws. */
  abstract startDelivery(): number | null;
}
