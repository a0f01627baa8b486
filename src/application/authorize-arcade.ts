import { AppError, text } from '../domain/errors.js';
import { needsRefresh, type Credentials } from '../domain/principal.js';
import { Clock } from '../domain/ports/clock.js';
import { Coordinator } from '../domain/ports/coordinator.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { CloudUrl } from './provided-values.js';
import { credentialsFrom, requireCredentials } from './require-credentials.js';

/**
 * The credentials a command that calls Arcade sends: the API key, or an OAuth access token that
 * stays valid for at least 5 minutes. A token about to expire is refreshed under the credentials
 * file's lock, after reading the file again: of concurrent commands one refreshes (its refresh
 * token may come back rotated, the old one dead) and the others use what it saved.
 */
export class AuthorizeArcade {
  static readonly inject = [CredentialsStore, Coordinator, Clock, CloudUrl] as const;

  constructor(
    private readonly credentials: CredentialsStore,
    private readonly coordinator: Coordinator,
    private readonly clock: Clock,
    /** The Coordinator to ask when the login names none. */
    private readonly cloudUrl: string,
  ) {}

  async execute(): Promise<Credentials> {
    const current = await requireCredentials(this.credentials);
    if (!needsRefresh(current, this.clock.now())) return current;
    const after = await this.credentials.updateSession(async (read) => {
      // Refreshed by another process meanwhile (or logged out, or changed): nothing to do here.
      if (read.kind !== 'found' || read.credentials.oauth === null || !needsRefresh(read.credentials, this.clock.now()))
        return null;
      const coordinatorUrl = read.credentials.oauth.coordinatorUrl ?? this.cloudUrl;
      const issued = await this.coordinator.refresh(coordinatorUrl, read.credentials.oauth.refreshToken);
      if (issued === 'refused') throw new AppError('bad-credentials', text`Your login expired: run \`arcade login\`.`);
      return {
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
        expiresAt: new Date(this.clock.now().getTime() + issued.expiresInSeconds * 1000),
        coordinatorUrl,
      };
    });
    return credentialsFrom(after, this.credentials);
  }
}
