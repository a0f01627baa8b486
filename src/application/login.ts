import { AppError } from '../domain/errors.js';
import { maskApiKey } from '../domain/principal.js';
import type { AuthorizationRequest, BrowserLogin } from '../domain/ports/browser-login.js';
import type { CredentialsStore } from '../domain/ports/credentials-store.js';
import type { DecideTracking } from './decide-tracking.js';
import type { ResolveIdentity } from './resolve-identity.js';

export type LoginOutcome =
  | { readonly kind: 'logged-in'; readonly email: string; readonly maskedKey: string }
  | { readonly kind: 'already-logged-in'; readonly email: string };

/**
 * The browser login. On success the credentials are saved and, when tracking is on, the anonymous
 * id is aliased to the principal right away, before any event goes out under it.
 */
export class Login {
  constructor(
    private readonly credentials: CredentialsStore,
    private readonly browserLogin: BrowserLogin,
    private readonly decideTracking: DecideTracking,
    private readonly resolveIdentity: ResolveIdentity,
  ) {}

  async execute(request: AuthorizationRequest): Promise<LoginOutcome> {
    const existing = await this.credentials.load();
    if (existing.kind === 'found') return { kind: 'already-logged-in', email: existing.credentials.email };

    const result = await this.browserLogin.authorize(request);
    switch (result.kind) {
      case 'state-mismatch':
        throw new AppError(
          'login-state-mismatch',
          'Login failed: the callback did not carry the state this login sent (nothing was saved).',
        );
      case 'incomplete':
        throw new AppError('login-incomplete', 'Login failed: the callback carried no API key (nothing was saved).');
      case 'timed-out':
        throw new AppError(
          'login-timeout',
          `Login timed out after ${Math.round(request.timeoutMs / 1000)} s waiting for the browser.`,
        );
      case 'authorized':
        break;
    }
    await this.credentials.save(result.apiKey, result.email);
    if ((await this.decideTracking.execute()).enabled) {
      try {
        await this.resolveIdentity.execute({ aliasNow: true, cloudUrl: request.cloudUrl });
      } catch (error) {
        // Linking is telemetry: a locked identity file must not fail a login that succeeded; the next command links.
        if (!(error instanceof AppError && error.code === 'lock-unavailable')) throw error;
      }
    }
    return { kind: 'logged-in', email: result.email, maskedKey: maskApiKey(result.apiKey) };
  }
}
