/** Who the usage events of this machine are attributed to. Mirrors `.arcade/usage.json`. */
export interface Identity {
  /** Random UUID v4; the distinct id until the user is linked to a principal. */
  readonly anonId: string;
  /** The Arcade principal this anonymous id was aliased to, or null. */
  readonly linkedPrincipalId: string | null;
  /** The last principal lookup, remembered per API key so steady-state commands make no request. */
  readonly lookup: PrincipalLookup | null;
}

export interface PrincipalLookup {
  /** A fingerprint of the API key: enough to notice a changed key, useless to anyone who reads it. */
  readonly keyFingerprint: string;
  /** The principal the key belongs to, or null when the lookup failed. */
  readonly principalId: string | null;
  readonly checkedAt: string;
  /** The login's active organization and project as last read, for events (absent: none). */
  readonly context?: EventContext | null;
}

/** What of an OAuth login's context an event carries (`org_id`, `project_id`). */
export interface EventContext {
  readonly orgId: string;
  readonly projectId: string;
}

/** An id as Arcade makes them; anything else (from a hand-edited file) is not put on an event. */
const ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** The event context of the credentials' context, when both ids look like ids. */
export function eventContext(context: { readonly orgId: string; readonly projectId: string } | null): EventContext | null {
  if (context === null || !ID_SHAPE.test(context.orgId) || !ID_SHAPE.test(context.projectId)) return null;
  return { orgId: context.orgId, projectId: context.projectId };
}

/** The id an event goes out under. */
export interface ResolvedIdentity {
  readonly distinctId: string;
  readonly anonymous: boolean;
  readonly anonId: string;
}

/** After a failed lookup, the same key is tried again only after this long, so a broken endpoint costs one slow command, not every command. */
export const FAILED_LOOKUP_RETRY_MS = 10 * 60 * 1000;

/**
 * Eight, four, four, four and twelve hex digits (either case), joined by hyphens. Checked by hand:
 * every tracked run checks the stored id, and a regular expression's first use (its compilation)
 * costs more than this loop.
 */
export function isUuid(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 36) return false;
  for (let at = 0; at < 36; at += 1) {
    const code = value.charCodeAt(at);
    const lower = code | 0x20;
    const fits =
      at === 8 || at === 13 || at === 18 || at === 23 ? code === 45 : (code >= 48 && code <= 57) || (lower >= 97 && lower <= 102);
    if (!fits) return false;
  }
  return true;
}

export function newIdentity(anonId: string): Identity {
  return { anonId, linkedPrincipalId: null, lookup: null };
}

export function resolvedFrom(identity: Identity): ResolvedIdentity {
  return identity.linkedPrincipalId
    ? { distinctId: identity.linkedPrincipalId, anonymous: false, anonId: identity.anonId }
    : { distinctId: identity.anonId, anonymous: true, anonId: identity.anonId };
}

/** Whether the remembered lookup answers for this key at this time, or a (new) lookup is due. */
export function lookupIsDue(identity: Identity | null, keyFingerprint: string, now: Date): boolean {
  const lookup = identity?.lookup;
  if (!lookup || lookup.keyFingerprint !== keyFingerprint) return true;
  if (lookup.principalId !== null) return false;
  // A failed lookup dated ahead of now (a clock that ran ahead) is due, as is one whose date does not parse.
  const age = now.getTime() - Date.parse(lookup.checkedAt);
  return !(age >= 0 && age < FAILED_LOOKUP_RETRY_MS);
}

/** A fresh anonymous identity that remembers nothing of the account it replaces. */
export function rotated(freshAnonId: string): Identity {
  return newIdentity(freshAnonId);
}

/** What a tracked run knows of the account, gathered before the identity is planned. */
export interface AccountFacts {
  /**
   * The account the run belongs to: the credentials present when it started (or, when none were,
   * the ones present at its end: a login), with the principal of their key when known. Null: nobody.
   */
  readonly account: { readonly principalId: string | null } | null;
  /** Those same credentials are still present as the event is recorded (false after a logout). */
  readonly stillLoggedIn: boolean;
  /** A principal lookup made for this run, to remember; null when none was made. */
  readonly lookup: PrincipalLookup | null;
}

/** Who the run's event goes out under, what is stored afterwards, and the alias linking needs. */
export interface AttributionPlan {
  readonly attribution: ResolvedIdentity;
  readonly next: Identity;
  /** Whether `next` differs from what was stored. */
  readonly changed: boolean;
  /** Set when this run links the anonymous id `anonId` to `principalId`. */
  readonly alias: { readonly principalId: string; readonly anonId: string } | null;
}

/**
 * The identity rules, in one place:
 * - nobody logged in and the identity still linked (credentials removed by `logout`, by hand or by
 *   the Python CLI): rotate to a fresh anonymous id before the event (self-healing);
 * - logged in with a known principal: link, aliasing the anonymous id exactly once (an identity
 *   linked to someone else first gets a fresh anonymous id, so two accounts are never merged);
 * - logged out during the run (the logout itself): the event belongs to the account it ended, and
 *   the machine is anonymous under a fresh id afterwards; never an alias then.
 */
export function planAttribution(current: Identity | null, facts: AccountFacts, freshAnonId: () => string): AttributionPlan {
  const base = current ?? newIdentity(freshAnonId());
  const identity = facts.lookup ? { ...base, lookup: facts.lookup } : base;
  const plan = (attribution: ResolvedIdentity, next: Identity, alias: AttributionPlan['alias'] = null): AttributionPlan => ({
    attribution,
    next,
    changed: current === null || !sameIdentity(current, next),
    alias,
  });
  const principalId = facts.account?.principalId ?? null;

  if (facts.account === null) {
    if (identity.linkedPrincipalId === null) return plan(resolvedFrom(identity), identity);
    const fresh = rotated(freshAnonId());
    return plan(resolvedFrom(fresh), fresh);
  }
  if (!facts.stillLoggedIn) {
    const attribution = principalId
      ? { distinctId: principalId, anonymous: false, anonId: identity.anonId }
      : resolvedFrom(identity);
    const next = identity.linkedPrincipalId !== null ? rotated(freshAnonId()) : { ...identity, lookup: null };
    return plan(attribution, next);
  }
  if (principalId === null || identity.linkedPrincipalId === principalId) return plan(resolvedFrom(identity), identity);
  const unlinked = identity.linkedPrincipalId === null ? identity : { ...identity, anonId: freshAnonId() };
  const linked = { ...unlinked, linkedPrincipalId: principalId };
  return plan(resolvedFrom(linked), linked, { principalId, anonId: unlinked.anonId });
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return (
    a.anonId === b.anonId &&
    a.linkedPrincipalId === b.linkedPrincipalId &&
    a.lookup?.keyFingerprint === b.lookup?.keyFingerprint &&
    a.lookup?.principalId === b.lookup?.principalId &&
    a.lookup?.checkedAt === b.lookup?.checkedAt &&
    a.lookup?.context?.orgId === b.lookup?.context?.orgId &&
    a.lookup?.context?.projectId === b.lookup?.context?.projectId
  );
}
