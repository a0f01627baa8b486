import { AppError, text, url, value } from '../domain/errors.js';
import { maskApiKey, type ArcadeContext } from '../domain/principal.js';
import { BrowserLogin, type AuthorizationRequest } from '../domain/ports/browser-login.js';
import { Coordinator, defaultOf, type CoordinatorAccount } from '../domain/ports/coordinator.js';
import { Clock } from '../domain/ports/clock.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { PrincipalSource } from '../domain/ports/principal-source.js';
import { DecideTracking } from './decide-tracking.js';
import { DeliverEvents } from './deliver-events.js';
import { CloudUrl } from './provided-values.js';
import { QueueMessages } from './queue-messages.js';
import { ResolveIdentity } from './resolve-identity.js';

/** How long a login may spend getting its alias to PostHog before it returns (the alias stays queued if it did not arrive). */
export const LOGIN_ALIAS_BUDGET_MS = 2000;

export type LoginOutcome =
  | { readonly kind: 'logged-in'; readonly email: string; readonly context: ArcadeContext }
  /** `email` null: a key given on stdin, whose email Arcade does not say. */
  | { readonly kind: 'logged-in-with-key'; readonly email: string | null; readonly maskedKey: string }
  | { readonly kind: 'already-logged-in'; readonly email: string; readonly context: ArcadeContext | null };

export interface LoginRequest extends AuthorizationRequest {
  /** Told when the Cloud has no OAuth, before its API-key login starts. */
  readonly onApiKeyLogin: () => void;
}

/**
 * `arcade login`: today's OAuth login (authorization code with PKCE) where the Cloud has one, else
 * the seed's API-key login. Checks first that the credentials can be saved, so the browser never
 * says "logged in" to a terminal that then fails. On success the credentials are saved and, when
 * tracking is on, the anonymous id is aliased to the account: the alias is queued and delivered in
 * the foreground (bounded), so it reaches PostHog before any event under the account.
 */
export class Login {
  static readonly inject = [
    CredentialsStore,
    BrowserLogin,
    Coordinator,
    PrincipalSource,
    DecideTracking,
    ResolveIdentity,
    QueueMessages,
    DeliverEvents,
    Clock,
    CloudUrl,
  ] as const;

  constructor(
    private readonly credentials: CredentialsStore,
    private readonly browserLogin: BrowserLogin,
    private readonly coordinator: Coordinator,
    private readonly principals: PrincipalSource,
    private readonly decideTracking: DecideTracking,
    private readonly resolveIdentity: ResolveIdentity,
    private readonly queue: QueueMessages,
    private readonly deliverEvents: DeliverEvents,
    private readonly clock: Clock,
    private readonly cloudUrl: string,
  ) {}

  async execute(request: LoginRequest): Promise<LoginOutcome> {
    const existing = await this.credentials.load();
    if (existing.kind === 'found')
      return { kind: 'already-logged-in', email: existing.credentials.email, context: existing.credentials.context };
    await this.credentials.checkWritable();
    const coordinatorUrl = request.cloudUrl ?? this.cloudUrl;
    const config = await this.coordinator.cliConfig(coordinatorUrl);
    if (config === null) {
      request.onApiKeyLogin();
      return this.withKeyFromBrowser(request);
    }
    const result = await this.browserLogin.authorizeOAuth({ ...request, coordinatorUrl, config });
    switch (result.kind) {
      case 'state-mismatch':
        throw stateMismatch();
      case 'denied':
        throw new AppError(
          'login-failed',
          text`Login failed: Arcade Cloud said ${value(result.description ?? result.error)} (nothing was saved).`,
        );
      case 'timed-out':
        throw timedOut(request);
      case 'authorized':
        break;
    }
    const account = await this.coordinator.whoami(coordinatorUrl, result.tokens.accessToken);
    const context = contextOf(account);
    await this.credentials.saveSession({
      ...result.tokens,
      expiresAt: new Date(this.clock.now().getTime() + result.tokens.expiresInSeconds * 1000),
      coordinatorUrl,
      email: account.email,
      context,
    });
    await this.link(request.cloudUrl, account.accountId);
    return { kind: 'logged-in', email: account.email, context };
  }

  /**
   * A login without a browser (CI, SSH, a container): an API key given on stdin, checked with Arcade
   * Cloud (`validate`) before it is kept; refused or unchecked, nothing is saved.
   */
  async withApiKey(apiKey: string, cloudUrl: string | undefined): Promise<LoginOutcome> {
    const existing = await this.credentials.load();
    if (existing.kind === 'found')
      return { kind: 'already-logged-in', email: existing.credentials.email, context: existing.credentials.context };
    await this.credentials.checkWritable();
    await this.credentials.save(apiKey, null);
    const saved = await this.credentials.load();
    const principalId = saved.kind === 'found' ? await this.principals.lookup(saved.credentials, cloudUrl) : null;
    if (principalId === null) {
      await this.credentials.remove();
      throw new AppError(
        'bad-credentials',
        text`Arcade Cloud at ${url(cloudUrl ?? this.cloudUrl)} did not accept that API key (or could not be reached). Nothing was saved.`,
      );
    }
    if (saved.kind === 'found') this.principals.remember(saved.credentials, principalId);
    await this.link(cloudUrl, principalId);
    return { kind: 'logged-in-with-key', email: null, maskedKey: maskApiKey(apiKey) };
  }

  /** The seed's login: the browser brings an API key back. */
  private async withKeyFromBrowser(request: LoginRequest): Promise<LoginOutcome> {
    const result = await this.browserLogin.authorize(request);
    switch (result.kind) {
      case 'state-mismatch':
        throw stateMismatch();
      case 'incomplete':
        throw new AppError('login-failed', text`Login failed: the callback carried no API key (nothing was saved).`);
      case 'timed-out':
        throw timedOut(request);
      case 'authorized':
        break;
    }
    await this.credentials.save(result.apiKey, result.email);
    await this.link(request.cloudUrl, null);
    return { kind: 'logged-in-with-key', email: result.email, maskedKey: maskApiKey(result.apiKey) };
  }

  /** Links the anonymous id to the account; `accountId`, when the login already knows it, spares the lookup. */
  private async link(cloudUrl: string | undefined, accountId: string | null): Promise<void> {
    const decision = await this.decideTracking.execute();
    if (!decision.enabled) return;
    const saved = await this.credentials.load();
    if (accountId !== null && saved.kind === 'found') this.principals.remember(saved.credentials, accountId);
    let resolution;
    try {
      resolution = await this.resolveIdentity.execute({ atStart: saved, cloudUrl, dryRun: decision.debug, lookupNow: true });
    } catch (error) {
      // Linking is telemetry: a locked identity file must not fail a login that succeeded; the next command links.
      if (error instanceof AppError && error.code === 'busy') return;
      throw error;
    }
    if (!resolution?.alias) return;
    await this.queue.execute([resolution.alias], decision, 'caller');
    // Not lost when PostHog is slow or down: it stays queued, ahead of every later event.
    if (!decision.debug) await this.deliverEvents.execute({ kind: 'foreground', budgetMs: LOGIN_ALIAS_BUDGET_MS });
  }
}

/** The default organization and project (else the first), as the Python CLI picks them; none is an error to take to support. */
function contextOf(account: CoordinatorAccount): ArcadeContext {
  const org = defaultOf(account.organizations);
  if (org === null)
    throw new AppError(
      'login-failed',
      text`No organizations found for your account. Please contact support@arcade.dev for assistance.`,
    );
  const project = defaultOf(account.projects);
  if (project === null)
    throw new AppError(
      'login-failed',
      text`No projects found in organization ${value(org.name)}. Please contact support@arcade.dev for assistance.`,
    );
  return { orgId: org.id, orgName: org.name, projectId: project.id, projectName: project.name };
}

function stateMismatch(): AppError {
  return new AppError(
    'login-failed',
    text`Login failed: the callback did not carry the state this login sent (nothing was saved).`,
  );
}

function timedOut(request: AuthorizationRequest): AppError {
  return new AppError(
    'timeout',
    text`Login timed out after ${value(String(Math.round(request.timeoutMs / 1000)))} s waiting for the browser.`,
  );
}
