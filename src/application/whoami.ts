import { maskApiKey, type ArcadeContext } from '../domain/principal.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { requireCredentials } from './require-credentials.js';

export interface WhoamiReport {
  /** null: a key from ARCADE_API_KEY, whose email is not known. */
  readonly email: string | null;
  /** For ARCADE_API_KEY: the key, masked. */
  readonly maskedKey: string | null;
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
    const fromEnvironment = credentials.source === 'environment';
    return {
      email: fromEnvironment ? null : credentials.email,
      maskedKey: fromEnvironment ? maskApiKey(credentials.bearer) : null,
      login: credentials.oauth ? 'oauth' : 'api-key',
      context: credentials.context,
    };
  }
}
