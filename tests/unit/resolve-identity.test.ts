import { beforeEach, describe, expect, it } from '@jest/globals';
import { FAILED_LOOKUP_RETRY_MS } from '../../src/domain/identity.js';
import { DecideTracking } from '../../src/application/decide-tracking.js';
import { ResolveIdentity, type IdentityResolution, type ResolveOptions } from '../../src/application/resolve-identity.js';
import type { CredentialsRead } from '../../src/domain/principal.js';
import { MemoryWorld } from '../../src/adapters/memory/module.js';
import { ALICE, BOB, withAccounts } from '../support/memory-app.js';

let world: MemoryWorld;
let resolve: ResolveIdentity;

/**
 * Resolves with tracking on (null would mean it was turned off meanwhile); a lookup that is due is
 * made now unless the options say otherwise (as login and the background delivery make them).
 */
async function resolveWith(options: Omit<ResolveOptions, 'lookupNow'> & { lookupNow?: boolean }): Promise<IdentityResolution> {
  const resolution = await resolve.execute({ lookupNow: true, ...options });
  if (resolution === null) throw new Error('tracking was off');
  return resolution;
}

/** A run that starts and ends with the credentials as they are now. */
async function resolveNow(): Promise<IdentityResolution> {
  return resolveWith({ atStart: await world.credentials.load() });
}

beforeEach(() => {
  world = new MemoryWorld();
  withAccounts(world);
  resolve = new ResolveIdentity(
    world.identities,
    world.credentials,
    world.principals,
    new DecideTracking({}, world.settings, world.sink),
    world.clock,
    world.ids,
  );
});

describe('ResolveIdentity', () => {
  it('creates an anonymous identity on first use and reuses it', async () => {
    const first = await resolveNow();
    expect(first.identity.anonymous).toBe(true);
    expect(first.identity.distinctId).toBe(world.identities.identity!.anonId);
    expect((await resolveNow()).identity.distinctId).toBe(first.identity.distinctId);
    expect(world.principals.lookups).toEqual([]);
  });

  it('returns a recorded link without the network while the same key is logged in', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    await resolveNow();
    const lookups = world.principals.lookups.length;
    const writes = world.identities.writes;
    const result = await resolveNow();
    expect(result.identity).toEqual({
      distinctId: ALICE.principalId,
      anonymous: false,
      anonId: world.identities.identity!.anonId,
    });
    expect(result.alias).toBeNull();
    expect(world.principals.lookups).toHaveLength(lookups);
    expect(world.identities.writes).toBe(writes);
  });

  it('looks up credentials that appeared, links, and hands back one alias to queue first', async () => {
    const anonId = (await resolveNow()).identity.anonId;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    const result = await resolveNow();
    expect(result.identity).toEqual({ distinctId: ALICE.principalId, anonymous: false, anonId });
    expect(result.alias).toMatchObject({ event: '$create_alias', distinctId: ALICE.principalId, properties: { alias: anonId } });
    expect(world.identities.identity!.linkedPrincipalId).toBe(ALICE.principalId);
    // Steady state: no lookup, no write, no alias.
    const writes = world.identities.writes;
    for (let i = 0; i < 3; i++) expect((await resolveNow()).alias).toBeNull();
    expect(world.principals.lookups).toEqual([ALICE.apiKey]);
    expect(world.identities.writes).toBe(writes);
  });

  it('looks a changed key up once and moves to a fresh anonymous id before aliasing another account', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    const alice = await resolveNow();
    await world.credentials.save(BOB.apiKey, BOB.email);
    const bob = await resolveNow();
    for (let i = 0; i < 3; i++) await resolveNow();
    expect(world.principals.lookups).toEqual([ALICE.apiKey, BOB.apiKey]);
    expect(bob.identity.distinctId).toBe(BOB.principalId);
    expect(bob.identity.anonId).not.toBe(alice.identity.anonId);
    expect(bob.alias!.properties.alias).toBe(bob.identity.anonId);
  });

  it('stays anonymous when the lookup fails, and retries only after the delay', async () => {
    await world.credentials.save('arc_unknown_key_000000', 'x@example.com');
    expect((await resolveNow()).identity.anonymous).toBe(true);
    expect((await resolveNow()).identity.anonymous).toBe(true);
    expect(world.principals.lookups).toHaveLength(1);
    world.principals.principals.set('arc_unknown_key_000000', 'principal-late');
    world.clock.advance(FAILED_LOOKUP_RETRY_MS);
    const late = await resolveNow();
    expect(late.identity.distinctId).toBe('principal-late');
    expect(late.alias).not.toBeNull();
    expect(world.principals.lookups).toHaveLength(2);
  });

  it('treats unreadable credentials as none', async () => {
    world.credentials.stored = { kind: 'unreadable', reason: 'it is not valid YAML' };
    expect((await resolveNow()).identity.anonymous).toBe(true);
    expect(world.principals.lookups).toEqual([]);
  });

  it('heals an identity still linked while no credentials are present: a fresh anonymous id before the event', async () => {
    world.identities.identity = {
      anonId: '00000000-0000-4000-8000-00000000aaaa',
      linkedPrincipalId: ALICE.principalId,
      lookup: null,
    };
    const result = await resolveNow();
    expect(result.identity.anonymous).toBe(true);
    expect(result.identity.distinctId).not.toBe('00000000-0000-4000-8000-00000000aaaa');
    expect(result.alias).toBeNull();
    expect(world.identities.identity).toEqual({ anonId: result.identity.distinctId, linkedPrincipalId: null, lookup: null });
  });

  it('attributes a run that logged out to the account it ended, then rotates, without any alias', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    const linked = await resolveNow();
    const atStart: CredentialsRead = await world.credentials.load();
    await world.credentials.remove();
    const logout = await resolveWith({ atStart });
    expect(logout.identity).toMatchObject({ distinctId: ALICE.principalId, anonymous: false });
    expect(logout.alias).toBeNull();
    expect(world.identities.identity!.linkedPrincipalId).toBeNull();
    expect(world.identities.identity!.anonId).not.toBe(linked.identity.anonId);
    expect(world.identities.identity!.lookup).toBeNull();
    // A run that started logged in and ends after another process logged out never re-links.
    const next = await resolveWith({ atStart });
    expect(next.alias).toBeNull();
    expect(world.identities.identity!.linkedPrincipalId).toBeNull();
  });

  it('in a dry run decides the same but stores nothing (debug mode)', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    const result = await resolveWith({ atStart: await world.credentials.load(), dryRun: true });
    expect(result.alias).not.toBeNull();
    expect(world.identities.identity).toBeNull();
    expect(world.identities.writes).toBe(0);
  });
});

describe('ResolveIdentity for a command that cannot change the credentials (read as it ends)', () => {
  const resolveUsual = () => resolveWith({ atStart: null });

  it('reads them once a run, looks the key up once, and writes nothing in the steady state', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    expect((await resolveUsual()).alias).not.toBeNull();
    const loads = world.credentials.loads;
    const writes = world.identities.writes;
    for (let run = 0; run < 3; run += 1) {
      const result = await resolveUsual();
      expect([result.identity.distinctId, result.alias]).toEqual([ALICE.principalId, null]);
      // The key and email, for a failed run's message to be scrubbed of them.
      expect(result.credentials).toMatchObject({ bearer: ALICE.apiKey, email: ALICE.email });
    }
    expect(world.credentials.loads).toBe(loads + 3);
    expect(world.identities.writes).toBe(writes);
    expect(world.principals.lookups).toEqual([ALICE.apiKey]);
  });

  it('reads a changed file again: another key is looked up and linked under a fresh anonymous id', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    await resolveUsual();
    const aliceAnon = world.identities.identity!.anonId;
    await world.credentials.save(BOB.apiKey, BOB.email);
    const result = await resolveUsual();
    expect(result.identity.distinctId).toBe(BOB.principalId);
    expect(result.alias?.properties.alias).not.toBe(aliceAnon);
    expect(world.principals.lookups).toEqual([ALICE.apiKey, BOB.apiKey]);
    const bob = await world.credentials.load();
    expect(world.identities.identity!.lookup!.keyFingerprint).toBe(bob.kind === 'found' ? bob.credentials.keyFingerprint : null);
  });

  it('attributes a run during which another process logged out as it ends: anonymous, under a fresh id', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    await resolveUsual();
    const linkedAnon = world.identities.identity!.anonId;
    await world.credentials.remove();
    const result = await resolveUsual();
    expect(result.identity.anonymous).toBe(true);
    expect(result.identity.distinctId).not.toBe(linkedAnon);
    expect(world.identities.identity).toEqual({ anonId: result.identity.distinctId, linkedPrincipalId: null, lookup: null });
  });

  it('retries a failed lookup once it is due, though the file is unchanged', async () => {
    await world.credentials.save('arc_unknown_key_000000', 'nobody@example.com');
    expect((await resolveUsual()).identity.anonymous).toBe(true);
    expect((await resolveUsual()).identity.anonymous).toBe(true);
    expect(world.principals.lookups).toEqual(['arc_unknown_key_000000']);
    world.principals.principals.set('arc_unknown_key_000000', 'principal-late');
    world.clock.advance(FAILED_LOOKUP_RETRY_MS);
    expect((await resolveUsual()).identity.distinctId).toBe('principal-late');
    expect(world.principals.lookups).toEqual(['arc_unknown_key_000000', 'arc_unknown_key_000000']);
  });
});
