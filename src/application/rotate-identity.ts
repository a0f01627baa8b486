import type { IdSource } from '../domain/ports/id-source.js';
import type { IdentityStore } from '../domain/ports/identity-store.js';

/** After logout: a linked identity gets a fresh anonymous id, so later events are not the user's. */
export class RotateIdentity {
  constructor(
    private readonly identities: IdentityStore,
    private readonly ids: IdSource,
  ) {}

  /** Resolves to whether the identity was linked (and so rotated). */
  async execute(): Promise<boolean> {
    let rotated = false;
    await this.identities.update((current) => {
      if (!current?.linkedPrincipalId) return current;
      rotated = true;
      return { anonId: this.ids.uuid(), linkedPrincipalId: null, lookup: null };
    });
    return rotated;
  }
}
