/** Randomness, injected so tests can fix it. */
export abstract class IdSource {
  /** A random UUID v4. */
  abstract uuid(): string;
}
