import { lookupIsDue, planAttribution, type AccountFacts, type Identity, type ResolvedIdentity } from '../domain/identity.js';
import type { Credentials, CredentialsRead } from '../domain/principal.js';
import { aliasMessage, type OutboundMessage } from '../domain/usage-event.js';
import { Clock } from '../domain/ports/clock.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { IdSource } from '../domain/ports/id-source.js';
import { IdentityStore } from '../domain/ports/identity-store.js';
import { PrincipalSource } from '../domain/ports/principal-source.js';
import { DecideTracking } from './decide-tracking.js';

export interface IdentityResolution {
  readonly identity: ResolvedIdentity;
  /** The alias this run's linking needs, to go out ahead of any event under the principal. */
  readonly alias: OutboundMessage | null;
  /** The credentials the run is attributed to, if any (their key and email are scrubbed from events). */
  readonly credentials: Credentials | null;
}

export interface ResolveOptions {
  /** The credentials as they were when the run started; their absence at the end means a logout. */
  readonly atStart: CredentialsRead;
  /** The Cloud to ask, when not the configured one (`login --host`). */
  readonly cloudUrl?: string;
  /** ARCADE_USAGE_DEBUG: decide as usual, store nothing (an alias only printed must not be used up). */
  readonly dryRun?: boolean;
}

/**
 * The distinct id for one run, applying the identity rules (`planAttribution`) to the stored
 * identity and the credentials: looks the principal up once per API key, and plans inside the
 * identity file's lock, so of two racing processes only one aliases.
 */
export class ResolveIdentity {
  static readonly inject = [IdentityStore, CredentialsStore, PrincipalSource, DecideTracking, Clock, IdSource] as const;
  /** What dry runs decided, kept for this process only, so one debug run does not plan the same alias twice. */
  private dryRunIdentity: Identity | null = null;

  constructor(
    private readonly identities: IdentityStore,
    private readonly credentials: CredentialsStore,
    private readonly principals: PrincipalSource,
    private readonly decideTracking: DecideTracking,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** Null: tracking was turned off while the run resolved its identity (nothing was written). */
  async execute(options: ResolveOptions): Promise<IdentityResolution | null> {
    const atEnd = await this.credentials.load();
    const account =
      options.atStart.kind === 'found' ? options.atStart.credentials : atEnd.kind === 'found' ? atEnd.credentials : null;
    const stored = (options.dryRun && this.dryRunIdentity) || (await this.identities.read());
    const facts = await this.accountFacts(account, atEnd, stored, options.cloudUrl);
    const freshId = () => this.ids.anonymousId();

    // Steady state: nothing to change, so no lock is taken and nothing is written.
    let plan = planAttribution(stored, facts, freshId);
    if (options.dryRun) this.dryRunIdentity = plan.next;
    let decidedAt = this.clock.now();
    if (plan.changed && !options.dryRun) {
      const locked = await this.identities.update(async (current) => {
        // A `usage disable` since the run decided (it forgets the identity under this lock): write nothing.
        if (!(await this.decideTracking.execute()).enabled) return { result: null };
        // Whether the credentials are still there, asked again under the lock: a logout that
        // deleted them meanwhile (and rotates under this lock) is never undone by a link.
        const stillLoggedIn = account !== null && sameKey(await this.credentials.load(), account);
        const decided = planAttribution(current, { ...facts, stillLoggedIn }, freshId);
        decidedAt = this.clock.now();
        return decided.changed ? { result: decided, next: decided.next } : { result: decided };
      });
      if (locked === null) return null;
      plan = locked;
    }
    const alias = plan.alias && aliasMessage(plan.alias.principalId, plan.alias.anonId, this.ids.messageId(), decidedAt);
    return { identity: plan.attribution, alias, credentials: account };
  }

  private async accountFacts(
    account: Credentials | null,
    atEnd: CredentialsRead,
    stored: Identity | null,
    cloudUrl: string | undefined,
  ): Promise<AccountFacts> {
    if (account === null) return { account: null, stillLoggedIn: false, lookup: null };
    const stillLoggedIn = sameKey(atEnd, account);
    const now = this.clock.now();
    if (!lookupIsDue(stored, account.keyFingerprint, now)) {
      return { account: { principalId: stored!.lookup!.principalId }, stillLoggedIn, lookup: null };
    }
    const principalId = await this.principals.lookup(account.apiKey, cloudUrl);
    return {
      account: { principalId },
      stillLoggedIn,
      lookup: { keyFingerprint: account.keyFingerprint, principalId, checkedAt: now.toISOString() },
    };
  }
}

/** Whether these credentials are the account's: the same API key. */
function sameKey(read: CredentialsRead, account: Credentials): boolean {
  return read.kind === 'found' && read.credentials.keyFingerprint === account.keyFingerprint;
}
