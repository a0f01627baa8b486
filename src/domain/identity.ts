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
  /** SHA-256 of the API key: enough to notice a changed key, useless to anyone who reads it. */
  readonly keyFingerprint: string;
  /** The principal the key belongs to, or null when the lookup failed. */
  readonly principalId: string | null;
  readonly checkedAt: string;
}

/** The id an event goes out under. */
export interface ResolvedIdentity {
  readonly distinctId: string;
  readonly anonymous: boolean;
  readonly anonId: string;
}

/** After a failed lookup, the same key is tried again only after this long, so a broken endpoint costs one slow command, not every command. */
export const FAILED_LOOKUP_RETRY_MS = 10 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
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
export function lookupIsDue(identity: Identity, keyFingerprint: string, now: Date): boolean {
  const lookup = identity.lookup;
  if (!lookup || lookup.keyFingerprint !== keyFingerprint) return true;
  if (lookup.principalId !== null) return false;
  return now.getTime() - Date.parse(lookup.checkedAt) >= FAILED_LOOKUP_RETRY_MS;
}

/**
 * What linking to a principal takes: nothing, an alias of the current anonymous id, or (when the
 * identity was linked to someone else) a fresh anonymous id first, so two accounts are never merged.
 */
export type LinkPlan =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'alias'; readonly identity: Identity }
  | { readonly kind: 'rotate-and-alias'; readonly identity: Identity };

export function planLink(identity: Identity, principalId: string, freshAnonId: () => string): LinkPlan {
  if (identity.linkedPrincipalId === principalId) return { kind: 'unchanged' };
  if (identity.linkedPrincipalId === null) {
    return { kind: 'alias', identity: { ...identity, linkedPrincipalId: principalId } };
  }
  return {
    kind: 'rotate-and-alias',
    identity: { ...identity, anonId: freshAnonId(), linkedPrincipalId: principalId },
  };
}
