import type { Identity } from '../identity.js';

/** What a decision over the stored identity returns: its result, and the identity to store (omitted: leave it; null: delete it). */
export interface IdentityDecision<R> {
  readonly result: R;
  readonly next?: Identity | null;
}

/** Why the state directory cannot keep arcade's state, for `usage status` to say. */
export interface StateProblem {
  /** One sentence naming the path and the cause, in words. */
  readonly reason: string;
  /** Whether what is there can still be read (a read-only home can; a file where the directory should be cannot). */
  readonly readable: boolean;
}

/** `.arcade/usage.json`: the anonymous id and its link to a principal. */
export abstract class IdentityStore {
  /** Why no event can be recorded in the state directory (it cannot be made or written, usage.json is not a file), or null. */
  abstract stateProblem(): Promise<StateProblem | null>;
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
