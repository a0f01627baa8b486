import { AppError, text, value } from '../domain/errors.js';
import { maskApiKey } from '../domain/principal.js';
import { BrowserLogin, type AuthorizationRequest } from '../domain/ports/browser-login.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { DecideTracking } from './decide-tracking.js';
import { DeliverEvents } from './deliver-events.js';
import { QueueMessages } from './queue-messages.js';
import { ResolveIdentity } from './resolve-identity.js';

/** How long a login may spend getting its alias to PostHog before it returns (the alias stays queued if it did not arrive). */
export const LOGIN_ALIAS_BUDGET_MS = 2000;

export type LoginOutcome =
  | { readonly kind: 'logged-in'; readonly email: string; readonly maskedKey: string }
  | { readonly kind: 'already-logged-in'; readonly email: string };

/**
 * The browser login. On success the credentials are saved and, when tracking is on, the anonymous
 * id is aliased to the principal: the alias is queued and delivered in the foreground (bounded),
 * so it reaches PostHog before any event under the principal.
 */
export class Login {
  static readonly inject = [
    CredentialsStore,
    BrowserLogin,
    DecideTracking,
    ResolveIdentity,
    QueueMessages,
    DeliverEvents,
  ] as const;

  constructor(
    private readonly credentials: CredentialsStore,
    private readonly browserLogin: BrowserLogin,
    private readonly decideTracking: DecideTracking,
    private readonly resolveIdentity: ResolveIdentity,
    private readonly queue: QueueMessages,
    private readonly deliverEvents: DeliverEvents,
  ) {}

  async execute(request: AuthorizationRequest): Promise<LoginOutcome> {
    const existing = await this.credentials.load();
    if (existing.kind === 'found') return { kind: 'already-logged-in', email: existing.credentials.email };

    const result = await this.browserLogin.authorize(request);
    switch (result.kind) {
      case 'state-mismatch':
        throw new AppError(
          'login-failed',
          text`Login failed: the callback did not carry the state this login sent (nothing was saved).`,
        );
      case 'incomplete':
        throw new AppError('login-failed', text`Login failed: the callback carried no API key (nothing was saved).`);
      case 'timed-out':
        throw new AppError(
          'timeout',
          text`Login timed out after ${value(String(Math.round(request.timeoutMs / 1000)))} s waiting for the browser.`,
        );
      case 'authorized':
        break;
    }
    await this.credentials.save(result.apiKey, result.email);
    await this.link(request.cloudUrl);
    return { kind: 'logged-in', email: result.email, maskedKey: maskApiKey(result.apiKey) };
  }

  private async link(cloudUrl: string | undefined): Promise<void> {
    const decision = await this.decideTracking.execute();
    if (!decision.enabled) return;
    let resolution;
    try {
      resolution = await this.resolveIdentity.execute({
        atStart: await this.credentials.load(),
        cloudUrl,
        dryRun: decision.debug,
      });
    } catch (error) {
      // Linking is telemetry: a locked identity file must not fail a login that succeeded; the next command links.
      if (error instanceof AppError && error.code === 'busy') return;
      throw error;
    }
    if (!resolution?.alias) return;
    await this.queue.execute([resolution.alias], decision, 'caller');
    // Not lost when PostHog is slow or down: it stays queued, ahead of every later event.
    if (!decision.debug)
      await this.deliverEvents.execute({ budgetMs: LOGIN_ALIAS_BUDGET_MS, handOver: false, waitForClaim: true });
  }
}
