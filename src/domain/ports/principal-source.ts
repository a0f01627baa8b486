import type { Credentials } from '../principal.js';

/** Arcade's answer to "whose login is this?". */
export abstract class PrincipalSource {
  /**
   * The principal id of the credentials (asking `cloudUrl`, else the login's Coordinator or the
   * configured Cloud): an API key's `validate` principal, an OAuth login's `whoami` account id.
   * Null on any failure; bounded at `timeoutMs` (2 s by default), never throws.
   */
  abstract lookup(credentials: Credentials, cloudUrl?: string, timeoutMs?: number): Promise<string | null>;
  /** The principal of a login that already knows it (`arcade login` read it from whoami): this process's lookups answer it without a request. */
  abstract remember(credentials: Credentials, principalId: string): void;
}
