import { eventContext, isUuid, type Identity, type PrincipalLookup } from '../../domain/identity.js';
import type { IdentityDecision, IdentityStore, StateProblem } from '../../domain/ports/identity-store.js';
import { writeFileAtomic } from './atomic-write.js';
import { LOCK_STALE_MS, withLock } from './file-lock.js';
import { isRecord, readJsonFile } from './json-file.js';
import { removeFile } from './file-errors.js';
import type { StateDir } from './state-dir.js';

/** How long an update waits for the lock by default: long enough to outlast a killed holder's stale lock. */
export const IDENTITY_LOCK_WAIT_MS = LOCK_STALE_MS + 2000;

/**
 * `usage.json`, in the Python Arcade CLI's format (`anon_id`, `linked_principal_id`) plus our
 * `principal_lookup`. Reads need no lock (writes are atomic renames); updates hold a
 * cross-process lock around read-modify-write.
 */
export class FsIdentityStore implements IdentityStore {
  private readonly path: string;

  constructor(
    private readonly dir: StateDir,
    private readonly lockWaitMs = IDENTITY_LOCK_WAIT_MS,
  ) {
    this.path = dir.file('usage.json');
  }

  async stateProblem(): Promise<StateProblem | null> {
    return this.dir.problem(['usage.json', 'usage-settings.json']);
  }

  async read(): Promise<Identity | null> {
    const read = readJsonFile(this.path);
    return read.kind === 'parsed' ? parseIdentity(read.value) : null;
  }

  async update<R>(decide: (current: Identity | null) => IdentityDecision<R> | Promise<IdentityDecision<R>>): Promise<R> {
    await this.dir.ensure();
    return withLock(this.path, this.lockWaitMs, async () => {
      const decision = await decide(await this.read());
      if (decision.next === null) removeFile(this.path);
      else if (decision.next !== undefined)
        writeFileAtomic(this.path, `${JSON.stringify(serializeIdentity(decision.next), null, 2)}\n`);
      return decision.result;
    });
  }
}

/** A valid identity, or null for anything else (empty, an array, a missing or mistyped field). */
function parseIdentity(value: unknown): Identity | null {
  if (!isRecord(value) || !isUuid(value.anon_id)) return null;
  const linked = value.linked_principal_id ?? null;
  if (linked !== null && (typeof linked !== 'string' || linked === '')) return null;
  return { anonId: value.anon_id, linkedPrincipalId: linked, lookup: parseLookup(value.principal_lookup) };
}

function parseLookup(value: unknown): PrincipalLookup | null {
  if (!isRecord(value)) return null;
  // (A lookup saved as `key_sha256`, before the fingerprint was FNV-1a, is simply looked up once more.)
  const { key_fnv1a64: keyFingerprint, principal_id: principalId, checked_at: checkedAt } = value;
  const context =
    typeof value.org_id === 'string' && typeof value.project_id === 'string'
      ? eventContext({ orgId: value.org_id, projectId: value.project_id })
      : null;
  if (typeof keyFingerprint !== 'string' || typeof checkedAt !== 'string' || Number.isNaN(Date.parse(checkedAt))) return null;
  if (principalId !== null && typeof principalId !== 'string') return null;
  return { keyFingerprint, principalId, checkedAt, ...(context && { context }) };
}

function serializeIdentity(identity: Identity): Record<string, unknown> {
  return {
    anon_id: identity.anonId,
    linked_principal_id: identity.linkedPrincipalId,
    ...(identity.lookup && {
      principal_lookup: {
        key_fnv1a64: identity.lookup.keyFingerprint,
        principal_id: identity.lookup.principalId,
        checked_at: identity.lookup.checkedAt,
        ...(identity.lookup.context && { org_id: identity.lookup.context.orgId, project_id: identity.lookup.context.projectId }),
      },
    }),
  };
}
