/**
 * An expected failure the user can act on: the CLI prints its message on one line and exits 1,
 * without a stack. Anything else that throws is a bug.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
