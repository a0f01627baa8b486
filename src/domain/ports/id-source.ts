/** Randomness, injected so tests can fix it. */
export interface IdSource {
  /** A random UUID v4. */
  uuid(): string;
}

export const IdSource = Symbol.for('IdSource');
