import type { Credentials } from '../../domain/principal.js';
import type { PrincipalSource } from '../../domain/ports/principal-source.js';

export class MemoryPrincipalSource implements PrincipalSource {
  readonly principals = new Map<string, string>();
  readonly lookups: string[] = [];
  /** The Cloud each lookup asked (undefined: the configured one). */
  readonly lookupClouds: Array<string | undefined> = [];

  remember(credentials: Credentials, principalId: string): void {
    this.principals.set(credentials.bearer, principalId);
  }

  /** Looked up by the credentials' bearer (an API key or an access token). */
  async lookup(credentials: Credentials, cloudUrl?: string): Promise<string | null> {
    this.lookups.push(credentials.bearer);
    this.lookupClouds.push(cloudUrl);
    return this.principals.get(credentials.bearer) ?? null;
  }
}
