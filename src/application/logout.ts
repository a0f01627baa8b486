import type { CredentialsStore } from '../domain/ports/credentials-store.js';

export type LogoutOutcome = { readonly kind: 'logged-out'; readonly email: string | null } | { readonly kind: 'not-logged-in' };

/**
 * Deletes the credentials. The identity stays linked until the logout's own event is recorded
 * under the principal; then RotateIdentity gives this machine a fresh anonymous id.
 */
export class Logout {
  constructor(private readonly credentials: CredentialsStore) {}

  async execute(): Promise<LogoutOutcome> {
    const read = await this.credentials.load();
    const removed = await this.credentials.remove();
    if (!removed) return { kind: 'not-logged-in' };
    return { kind: 'logged-out', email: read.kind === 'found' ? read.credentials.email : null };
  }
}
