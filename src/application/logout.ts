import { CredentialsStore } from '../domain/ports/credentials-store.js';

export type LogoutOutcome =
  | { readonly kind: 'logged-out'; readonly email: string | null }
  | { readonly kind: 'not-logged-in' }
  /** ARCADE_API_KEY is set: credentials.yaml (if any) is gone, but commands go on using the key until it is unset. */
  | { readonly kind: 'environment-key'; readonly removedFile: boolean };

/**
 * Deletes the credentials. The identity rules (`planAttribution`) do the rest as the run is
 * tracked: the logout's own event goes out under the account it ended (it started logged in),
 * then the identity is rotated to a fresh anonymous id.
 */
export class Logout {
  static readonly inject = [CredentialsStore] as const;

  constructor(private readonly credentials: CredentialsStore) {}

  async execute(): Promise<LogoutOutcome> {
    const read = await this.credentials.load();
    if (read.kind === 'found' && read.credentials.source === 'environment')
      return { kind: 'environment-key', removedFile: await this.credentials.remove() };
    if (!(await this.credentials.remove())) return { kind: 'not-logged-in' };
    return { kind: 'logged-out', email: read.kind === 'found' ? read.credentials.email : null };
  }
}
