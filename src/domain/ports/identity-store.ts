import type { Identity } from '../identity.js';

/** `.arcade/usage.json`: the anonymous id and its link to a principal. */
export interface IdentityStore {
  /** The stored identity, or null when it is missing or not valid. Never blocks on a lock. */
  read(): Promise<Identity | null>;
  /**
   * Atomically replaces the identity with `change(current)` (current is null when missing or
   * invalid) across processes; returning null deletes it. Resolves to what was stored.
   * Rejects with an AppError of code `lock-unavailable` when another process holds it too long.
   */
  update(change: (current: Identity | null) => Identity | null): Promise<Identity | null>;
}

export const IdentityStore = Symbol.for('IdentityStore');
