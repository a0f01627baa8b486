/** Starts the detached process that delivers the outbox. */
export interface BackgroundRunner {
  /** Starts one, detached; the caller does not wait for it. Never throws. */
  startDelivery(): void;
}

export const BackgroundRunner = Symbol.for('BackgroundRunner');
