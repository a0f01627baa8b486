import type { ArcadeContext } from '../domain/principal.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { requireCredentials } from './require-credentials.js';

export interface WhoamiReport {
  readonly email: string;
  /** How the login was made: today's OAuth login, or an API key. */
  readonly login: 'oauth' | 'api-key';
  /** The active organization and project (OAuth logins). */
  readonly context: ArcadeContext | null;
}

/** Who is logged in, from the credentials of either layout; not logged in or unreadable credentials are errors the user can act on. */
export class Whoami {
  static readonly inject = [CredentialsStore] as const;

  constructor(private readonly credentials: CredentialsStore) {}

  async execute(): Promise<WhoamiReport> {
    const credentials = await requireCredentials(this.credentials);
    return { email: credentials.email, login: credentials.oauth ? 'oauth' : 'api-key', context: credentials.context };
  }
}
