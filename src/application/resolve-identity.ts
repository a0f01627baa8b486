import {
  lookupIsDue,
  newIdentity,
  planLink,
  resolvedFrom,
  type Identity,
  type LinkPlan,
  type ResolvedIdentity,
} from '../domain/identity.js';
import { aliasMessage, type OutboundMessage } from '../domain/usage-event.js';
import type { AnalyticsSink } from '../domain/ports/analytics-sink.js';
import type { Clock } from '../domain/ports/clock.js';
import type { CredentialsStore } from '../domain/ports/credentials-store.js';
import type { IdSource } from '../domain/ports/id-source.js';
import type { IdentityStore } from '../domain/ports/identity-store.js';
import type { Outbox } from '../domain/ports/outbox.js';
import type { PrincipalSource } from '../domain/ports/principal-source.js';

export const SYNC_ALIAS_TIMEOUT_MS = 2000;

export interface IdentityResolution {
  readonly identity: ResolvedIdentity;
  /** An alias the caller must queue ahead of its own event, so it arrives first. */
  readonly pendingAlias: OutboundMessage | null;
}

/**
 * The distinct id for this run: the linked principal; else the principal of the current API key
 * (looked up once per key); else the anonymous id. Linking an anonymous id to a principal always
 * comes with exactly one alias, sent now (`aliasNow`, at login) or handed back to be queued.
 */
export class ResolveIdentity {
  constructor(
    private readonly identities: IdentityStore,
    private readonly credentials: CredentialsStore,
    private readonly principals: PrincipalSource,
    private readonly sink: AnalyticsSink,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** `aliasNow`: send the alias before returning (login). `cloudUrl`: the Cloud to ask, when not the configured one (`login --host`). */
  async execute(options: { aliasNow?: boolean; cloudUrl?: string } = {}): Promise<IdentityResolution> {
    const identity = (await this.identities.read()) ?? (await this.create());
    const read = await this.credentials.load();
    if (read.kind !== 'found') return { identity: resolvedFrom(identity), pendingAlias: null };

    const { apiKey, keyFingerprint } = read.credentials;
    const now = this.clock.now();
    const due = lookupIsDue(identity, keyFingerprint, now);
    const principalId = due ? await this.principals.lookup(apiKey, options.cloudUrl) : identity.lookup!.principalId;
    // Steady state: the remembered answer already matches the link, so nothing is written.
    if (!due && (principalId === null || principalId === identity.linkedPrincipalId)) {
      return { identity: resolvedFrom(identity), pendingAlias: null };
    }
    const lookup = due ? { keyFingerprint, principalId, checkedAt: now.toISOString() } : identity.lookup;

    // Plan the link inside the atomic update, so of two racing processes only one aliases.
    const decided: { plan: LinkPlan } = { plan: { kind: 'unchanged' } };
    const stored = await this.identities.update((current) => {
      const base = current ?? identity;
      const plan = principalId === null ? ({ kind: 'unchanged' } as const) : planLink(base, principalId, () => this.ids.uuid());
      decided.plan = plan;
      return { ...(plan.kind === 'unchanged' ? base : plan.identity), lookup };
    });
    const linked: Identity = stored ?? identity;
    if (decided.plan.kind === 'unchanged') return { identity: resolvedFrom(linked), pendingAlias: null };

    const alias = aliasMessage(principalId!, linked.anonId, this.ids.uuid(), now);
    if (!options.aliasNow) return { identity: resolvedFrom(linked), pendingAlias: alias };
    const sent = await this.sink.send([alias], SYNC_ALIAS_TIMEOUT_MS);
    // Not lost when PostHog is unreachable: queued, it still goes out before any later event.
    if (sent.kind === 'failed') await this.outbox.append([alias]);
    return { identity: resolvedFrom(linked), pendingAlias: null };
  }

  private async create(): Promise<Identity> {
    const created = await this.identities.update((current) => current ?? newIdentity(this.ids.uuid()));
    return created!;
  }
}
