import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { requireCredentials } from './require-credentials.js';

/** The email of the logged-in account; not logged in or unreadable credentials are errors the user can act on. */
export class Whoami {
  static readonly inject = [CredentialsStore] as const;

  constructor(private readonly credentials: CredentialsStore) {}

  async execute(): Promise<{ readonly email: string }> {
    const { email } = await requireCredentials(this.credentials);
    return { email };
  }
}
