import { AppError, text } from '../../domain/errors.js';
import type { Identity } from '../../domain/identity.js';
import type { IdentityDecision, IdentityStore, StateProblem } from '../../domain/ports/identity-store.js';

export class MemoryIdentityStore implements IdentityStore {
  identity: Identity | null = null;
  /** When true, updates fail as if another process held the lock too long. */
  locked = false;
  writes = 0;
  problem: StateProblem | null = null;

  async stateProblem(): Promise<StateProblem | null> {
    return this.problem;
  }

  async read(): Promise<Identity | null> {
    return this.identity;
  }

  async update<R>(decide: (current: Identity | null) => IdentityDecision<R> | Promise<IdentityDecision<R>>): Promise<R> {
    if (this.locked) throw new AppError('busy', text`usage.json is locked`);
    const decision = await decide(this.identity);
    if (decision.next !== undefined) {
      this.writes += 1;
      this.identity = decision.next;
    }
    return decision.result;
  }
}
