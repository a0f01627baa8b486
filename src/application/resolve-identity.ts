import {
  eventContext,
  lookupIsDue,
  newIdentity,
  planAttribution,
  resolvedFrom,
  type AccountFacts,
  type EventContext,
  type Identity,
  type ResolvedIdentity,
} from '../domain/identity.js';
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
  /** The login's organization and project, for the event (OAuth logins). */
  readonly context: EventContext | null;
  /**
   * The credentials' principal is not known yet and is left to the background delivery to look up
   * (`lookupNow` false): the event goes out under the anonymous id that lookup will alias, with
   * PostHog's person processing on, so the alias merges it into the account.
   */
  readonly lookupPending: boolean;
}

export interface ResolveOptions {
  /**
   * The credentials as they were when the run started, read by a command that may change them
   * (login, logout): their absence at the end means a logout. Null for every other command, which
   * is attributed by the credentials as it ends.
   */
  readonly atStart: CredentialsRead | null;
  /** The Cloud to ask, when not the configured one (`login --host`). */
  readonly cloudUrl?: string;
  /** ARCADE_USAGE_DEBUG: decide as usual, store nothing (an alias only printed must not be used up). */
  readonly dryRun?: boolean;
  /**
   * Look a principal up now when one is due (login, whose own flow waits anyway; the background
   * delivery). False for a command: it never waits on the network, and leaves the lookup pending.
   */
  readonly lookupNow: boolean;
  /** How long a lookup made now may take. */
  readonly lookupTimeoutMs?: number;
}

/** Whose key the credentials hold: read from the file, or known without reading it (`credentials` null then). */
interface HeldKey {
  readonly keyFingerprint: string;
  readonly credentials: Credentials | null;
}

/**
 * The distinct id for one run, applying the identity rules (`planAttribution`) to the stored
 * identity and the credentials: looks the principal up once per API key, and plans inside the
 * identity file's lock, so of two racing processes only one aliases. In the steady state it reads
 * the credentials (a small file) and writes nothing.
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
    const stored = (options.dryRun && this.dryRunIdentity) || (await this.identities.read());
    const atEnd = await this.keyAtEnd();
    const account = (options.atStart?.kind === 'found' ? heldKey(options.atStart.credentials) : null) ?? atEnd;
    const stillLoggedIn = account !== null && atEnd !== null && atEnd.keyFingerprint === account.keyFingerprint;
    if (account?.credentials && stillLoggedIn && !options.lookupNow && this.lookupPending(stored, account))
      return this.pending(stored, account, options);
    const facts = await this.accountFacts(account, atEnd, stored, options);
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
        const now = await this.credentials.load();
        const stillLoggedIn =
          account !== null && now.kind === 'found' && now.credentials.keyFingerprint === account.keyFingerprint;
        const decided = planAttribution(current, { ...facts, stillLoggedIn }, freshId);
        decidedAt = this.clock.now();
        return decided.changed ? { result: decided, next: decided.next } : { result: decided };
      });
      if (locked === null) return null;
      plan = locked;
    }
    const alias = plan.alias && aliasMessage(plan.alias.principalId, plan.alias.anonId, this.ids.messageId(), decidedAt);
    const context = account?.credentials ? eventContext(account.credentials.context) : (stored?.lookup?.context ?? null);
    return {
      identity: plan.attribution,
      alias,
      credentials: account?.credentials ?? null,
      context: account ? context : null,
      lookupPending: false,
    };
  }

  /** Whether this login's principal would have to be looked up (not remembered, nor kept from a link made by the Python CLI). */
  private lookupPending(stored: Identity | null, account: HeldKey): boolean {
    if (!lookupIsDue(stored, account.keyFingerprint, this.clock.now())) return false;
    return !(account.credentials?.oauth && stored?.linkedPrincipalId);
  }

  /**
   * A command's run whose principal is left to the background delivery to look up. Linked by
   * another tool (no lookup of ours says otherwise): attributed to that link, which the lookup then
   * confirms or replaces. Unlinked: under the anonymous id the lookup will alias. Linked, but the
   * key changed since our lookup (another account, maybe): a fresh anonymous id first, so nothing
   * of the new login is merged into the old account.
   */
  private async pending(stored: Identity | null, account: HeldKey, options: ResolveOptions): Promise<IdentityResolution | null> {
    // No identity yet, or one linked while another key was looked up: a fresh anonymous id.
    const replace = (identity: Identity | null): boolean =>
      identity === null ||
      (identity.linkedPrincipalId !== null &&
        identity.lookup !== null &&
        identity.lookup.keyFingerprint !== account.keyFingerprint);
    let identity = stored;
    if (replace(identity) && !options.dryRun) {
      identity = await this.identities.update(async (current) => {
        if (!(await this.decideTracking.execute()).enabled) return { result: null };
        if (current !== null && !replace(current)) return { result: current };
        const fresh = newIdentity(this.ids.anonymousId());
        return { result: fresh, next: fresh };
      });
      if (identity === null) return null;
    }
    const attribution: ResolvedIdentity =
      identity === null
        ? { distinctId: this.ids.anonymousId(), anonymous: true, anonId: '' }
        : identity.linkedPrincipalId !== null && !replace(identity)
          ? resolvedFrom(identity)
          : { distinctId: identity.anonId, anonymous: true, anonId: identity.anonId };
    return {
      identity: attribution,
      alias: null,
      credentials: account.credentials,
      context: eventContext(account.credentials?.context ?? null),
      lookupPending: true,
    };
  }

  /** The key the credentials hold as the run ends. */
  private async keyAtEnd(): Promise<HeldKey | null> {
    const read = await this.credentials.load();
    return read.kind === 'found' ? heldKey(read.credentials) : null;
  }

  private async accountFacts(
    account: HeldKey | null,
    atEnd: HeldKey | null,
    stored: Identity | null,
    options: ResolveOptions,
  ): Promise<AccountFacts> {
    if (account === null) return { account: null, stillLoggedIn: false, lookup: null };
    const stillLoggedIn = atEnd !== null && atEnd.keyFingerprint === account.keyFingerprint;
    const now = this.clock.now();
    if (account.credentials === null || !lookupIsDue(stored, account.keyFingerprint, now)) {
      const known = stored!.lookup!;
      // A new context is remembered (one write), for the runs that read no credentials (a logout's last event).
      const context = account.credentials ? eventContext(account.credentials.context) : (known.context ?? null);
      const remember = account.credentials !== null && !sameContext(known.context ?? null, context);
      return {
        account: { principalId: known.principalId },
        stillLoggedIn,
        lookup: remember ? { ...known, context } : null,
      };
    }
    // An OAuth login whose identity is already linked (by today's Python CLI, which links the
    // account id that same way): kept as it is, with no request. Only its absence rotates it.
    const linked = account.credentials.oauth !== null ? (stored?.linkedPrincipalId ?? null) : null;
    // A command never waits on the network: a logout of a login whose principal is unknown goes out as it is.
    if (linked === null && !options.lookupNow) return { account: { principalId: null }, stillLoggedIn, lookup: null };
    const principalId = linked ?? (await this.principals.lookup(account.credentials, options.cloudUrl, options.lookupTimeoutMs));
    return {
      account: { principalId },
      stillLoggedIn,
      lookup: {
        keyFingerprint: account.keyFingerprint,
        principalId,
        checkedAt: now.toISOString(),
        context: eventContext(account.credentials.context),
      },
    };
  }
}

function sameContext(a: EventContext | null, b: EventContext | null): boolean {
  return a?.orgId === b?.orgId && a?.projectId === b?.projectId;
}

function heldKey(credentials: Credentials): HeldKey {
  return { keyFingerprint: credentials.keyFingerprint, credentials };
}
