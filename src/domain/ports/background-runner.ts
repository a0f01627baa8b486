/** Starts the detached process that delivers the outbox, one at a time however many commands ask. */
export abstract class BackgroundRunner {
  /**
   * Starts one, detached, unless one is running or starting (a reservation: the commands that
   * follow before it asks for the outbox's claim start no other). The caller does not wait for it.
   * Resolves to whether one was started: false too when the system could not start it (it throws
   * only for a bug). `continuesBurst`: it takes over from a delivery that ran out of time
   * mid-burst, and keeps that delivery's spacing between requests.
   */
  abstract startDelivery(continuesBurst: boolean): Promise<boolean>;
  /**
   * Ends the reservation that started this process: called by a background delivery once it has
   * asked for the claim (whether or not it got it), or found tracking off.
   */
  abstract endStart(): Promise<void>;
}
