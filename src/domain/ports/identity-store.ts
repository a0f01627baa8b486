import type { Identity } from '../identity.js';

/** What a decision over the stored identity returns: its result, and the identity to store (omitted: leave it; null: delete it). */
export interface IdentityDecision<R> {
  readonly result: R;
  readonly next?: Identity | null;
}

/** `.arcade/usage.json`: the anonymous id and its link to a principal. */
export abstract class IdentityStore {
  /** The stored identity, or null when it is missing or not valid. Never blocks on a lock. */
  abstract read(): Promise<Identity | null>;
  /**
   * Runs `decide` on the current identity (null when missing or invalid) and stores what it
   * chose, atomically across processes; resolves to the decision's result. `decide` may read
   * other state: it runs while the lock is held. Rejects with an AppError of code
   * `busy` when another process holds it too long.
   */
  abstract update<R>(decide: (current: Identity | null) => IdentityDecision<R> | Promise<IdentityDecision<R>>): Promise<R>;
}
