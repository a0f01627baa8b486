import { beforeEach, describe, expect, it } from '@jest/globals';
import { FAILED_LOOKUP_RETRY_MS } from '../../src/domain/identity.js';
import { SYNC_ALIAS_TIMEOUT_MS } from '../../src/application/resolve-identity.js';
import { ResolveIdentity } from '../../src/application/resolve-identity.js';
import { MemoryWorld } from '../../src/adapters/memory/module.js';
import { ALICE, BOB, withAccounts } from '../support/memory-app.js';

let world: MemoryWorld;
let resolve: ResolveIdentity;

beforeEach(() => {
  world = new MemoryWorld();
  withAccounts(world);
  resolve = new ResolveIdentity(
    world.identities,
    world.credentials,
    world.principals,
    world.sink,
    world.outbox,
    world.clock,
    world.ids,
  );
});

describe('ResolveIdentity', () => {
  it('creates an anonymous identity on first use and reuses it', async () => {
    const first = await resolve.execute();
    expect(first.identity.anonymous).toBe(true);
    expect(first.identity.distinctId).toBe(world.identities.identity!.anonId);
    expect((await resolve.execute()).identity.distinctId).toBe(first.identity.distinctId);
    expect(world.principals.lookups).toEqual([]);
  });

  it('returns a recorded link without reading credentials or the network', async () => {
    world.identities.identity = { anonId: 'a', linkedPrincipalId: ALICE.principalId, lookup: null };
    const result = await resolve.execute();
    expect(result).toEqual({ identity: { distinctId: ALICE.principalId, anonymous: false, anonId: 'a' }, pendingAlias: null });
    expect(world.principals.lookups).toEqual([]);
  });

  it('looks up credentials that appeared, links, and hands back one alias to queue first', async () => {
    const anonId = (await resolve.execute()).identity.anonId;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    const result = await resolve.execute();
    expect(result.identity).toEqual({ distinctId: ALICE.principalId, anonymous: false, anonId });
    expect(result.pendingAlias).toMatchObject({
      event: '$create_alias',
      distinctId: ALICE.principalId,
      properties: { alias: anonId },
    });
    expect(world.identities.identity!.linkedPrincipalId).toBe(ALICE.principalId);
    expect(world.sink.requests).toEqual([]);
    // Steady state: no lookup, no write, no alias.
    const writes = world.identities.writes;
    for (let i = 0; i < 3; i++) expect((await resolve.execute()).pendingAlias).toBeNull();
    expect(world.principals.lookups).toEqual([ALICE.apiKey]);
    expect(world.identities.writes).toBe(writes);
  });

  it('looks a changed key up once and moves to a fresh anonymous id before aliasing another account', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    const alice = await resolve.execute();
    await world.credentials.save(BOB.apiKey, BOB.email);
    const bob = await resolve.execute();
    for (let i = 0; i < 3; i++) await resolve.execute();
    expect(world.principals.lookups).toEqual([ALICE.apiKey, BOB.apiKey]);
    expect(bob.identity.distinctId).toBe(BOB.principalId);
    expect(bob.identity.anonId).not.toBe(alice.identity.anonId);
    expect(bob.pendingAlias!.properties.alias).toBe(bob.identity.anonId);
  });

  it('stays anonymous when the lookup fails, and retries only after the delay', async () => {
    await world.credentials.save('arc_unknown_key_000000', 'x@example.com');
    expect((await resolve.execute()).identity.anonymous).toBe(true);
    expect((await resolve.execute()).identity.anonymous).toBe(true);
    expect(world.principals.lookups).toHaveLength(1);
    world.principals.principals.set('arc_unknown_key_000000', 'principal-late');
    world.clock.advance(FAILED_LOOKUP_RETRY_MS);
    const late = await resolve.execute();
    expect(late.identity.distinctId).toBe('principal-late');
    expect(late.pendingAlias).not.toBeNull();
    expect(world.principals.lookups).toHaveLength(2);
  });

  it('sends the alias at once when asked (login), bounded by the sync timeout', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    const result = await resolve.execute({ aliasNow: true });
    expect(result.pendingAlias).toBeNull();
    expect(world.sink.received.map((m) => [m.event, m.distinctId])).toEqual([['$create_alias', ALICE.principalId]]);
    expect(world.outbox.entries).toEqual([]);
    expect(SYNC_ALIAS_TIMEOUT_MS).toBe(2000);
  });

  it('queues the alias when sending it now fails, and drops it when PostHog rejects it', async () => {
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    world.sink.answers.push({ kind: 'failed', reason: 'offline' });
    await resolve.execute({ aliasNow: true });
    expect(world.outbox.messages().map((m) => m.event)).toEqual(['$create_alias']);

    const other = new MemoryWorld();
    withAccounts(other);
    await other.credentials.save(ALICE.apiKey, ALICE.email);
    other.sink.answers.push({ kind: 'rejected', status: 400 });
    await new ResolveIdentity(
      other.identities,
      other.credentials,
      other.principals,
      other.sink,
      other.outbox,
      other.clock,
      other.ids,
    ).execute({ aliasNow: true });
    expect(other.outbox.entries).toEqual([]);
  });

  it('treats unreadable credentials as none', async () => {
    world.credentials.stored = { kind: 'unreadable', reason: 'it is not valid YAML' };
    expect((await resolve.execute()).identity.anonymous).toBe(true);
    expect(world.principals.lookups).toEqual([]);
  });
});
