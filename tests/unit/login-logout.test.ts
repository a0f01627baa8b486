import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../src/domain/errors.js';
import { LOGIN_ALIAS_BUDGET_MS } from '../../src/application/login.js';
import { ALICE, memoryApp, tracked, withAccounts } from '../support/memory-app.js';

const request = {
  timeoutMs: 1000,
  onLoginUrl: () => undefined,
  onBrowserFailure: () => undefined,
  onApiKeyLogin: () => undefined,
};

describe('Login', () => {
  it('says who is logged in and opens nothing when already logged in', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    expect(await app.login.execute(request)).toEqual({ kind: 'already-logged-in', email: ALICE.email, context: null });
    expect(world.browserLogin.requests).toEqual([]);
  });

  it('saves the credentials, delivers the alias through the outbox in the foreground, links, and masks the key', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    withAccounts(world);
    await tracked(memory, 'whoami', 1);
    const anonId = world.identities.identity!.anonId;
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    let outcome;
    await tracked(memory, 'login', 0, async () => (outcome = await app.login.execute(request)));
    expect(outcome).toEqual({ kind: 'logged-in-with-key', email: ALICE.email, maskedKey: 'arc_…6789' });
    // One path: what was pending, then the alias, both delivered by DeliverEvents (and logged as sent).
    expect(world.sink.received.map((m) => [m.event, m.distinctId])).toEqual([
      ['CLI execution failed', anonId],
      ['$create_alias', ALICE.principalId],
    ]);
    expect(world.sink.received[1].properties.alias).toBe(anonId);
    expect(world.outbox.log.map((record) => record.wire.event)).toEqual(['CLI execution failed', '$create_alias']);
    expect(world.identities.identity!.linkedPrincipalId).toBe(ALICE.principalId);
    // The login's own event then goes out as the principal, with no second alias.
    expect(world.outbox.messages().map((m) => [m.event, m.distinctId])).toEqual([['CLI execution succeeded', ALICE.principalId]]);
    expect(LOGIN_ALIAS_BUDGET_MS).toBe(2000);
  });

  it('keeps the alias queued, ahead of the login event, when PostHog is down', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    withAccounts(world);
    world.sink.answer = () => ({ kind: 'failed', reason: 'offline' });
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    await tracked(memory, 'login', 0, () => app.login.execute(request));
    expect(world.outbox.messages().map((m) => [m.event, m.distinctId])).toEqual([
      ['$create_alias', ALICE.principalId],
      ['CLI execution succeeded', ALICE.principalId],
    ]);
  });

  it('in debug mode prints the alias and sends and stores nothing', async () => {
    const memory = memoryApp({ ARCADE_USAGE_DEBUG: '1' });
    const { world, app } = memory;
    withAccounts(world);
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    await tracked(memory, 'login', 0, () => app.login.execute(request));
    expect(world.debugOutput.messages.map((m) => m.event)).toEqual(['$create_alias', 'CLI execution succeeded']);
    expect([world.sink.requests, world.outbox.entries, world.identities.identity]).toEqual([[], [], null]);
  });

  it.each([
    [{ kind: 'state-mismatch' } as const, 'login-failed'],
    [{ kind: 'incomplete' } as const, 'login-failed'],
    [{ kind: 'timed-out' } as const, 'timeout'],
  ])('fails with %j and saves nothing', async (result, code) => {
    const memory = memoryApp();
    const { world, app } = memory;
    world.browserLogin.result = result;
    await expect(app.login.execute(request)).rejects.toMatchObject({ code });
    await expect(app.login.execute(request)).rejects.toBeInstanceOf(AppError);
    expect(world.credentials.stored).toEqual({ kind: 'none' });
  });

  it('asks the Cloud it logged in to (login --host) for the principal', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    withAccounts(world);
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    await app.login.execute({ ...request, cloudUrl: 'https://staging.cloud.example' });
    expect(world.principals.lookupClouds).toEqual(['https://staging.cloud.example']);
    expect(world.identities.identity!.linkedPrincipalId).toBe(ALICE.principalId);
  });

  it('makes no lookup and no alias when tracking is disabled', async () => {
    const memory = memoryApp({ DO_NOT_TRACK: '1' });
    const { world, app } = memory;
    withAccounts(world);
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    expect((await app.login.execute(request)).kind).toBe('logged-in-with-key');
    expect([world.principals.lookups, world.sink.requests, world.identities.identity]).toEqual([[], [], null]);
  });
});

describe('Logout', () => {
  it('deletes the credentials; the logout event goes out as the principal, then the id rotates', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    withAccounts(world);
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    await app.login.execute(request);
    const anonId = world.identities.identity!.anonId;
    let outcome;
    await tracked(memory, 'logout', 0, async () => (outcome = await app.logout.execute()));
    expect(outcome).toEqual({ kind: 'logged-out', email: ALICE.email });
    expect(world.identities.identity!.linkedPrincipalId).toBeNull();
    await tracked(memory, 'whoami', 1);
    const [logoutEvent, next] = world.outbox.messages();
    expect(logoutEvent.distinctId).toBe(ALICE.principalId);
    expect(logoutEvent.properties.$process_person_profile).toBeUndefined();
    expect(next.distinctId).toBe(world.identities.identity!.anonId);
    expect(next.distinctId).not.toBe(anonId);
    expect(next.properties.$process_person_profile).toBe(false);
  });

  it('says so when not logged in, and leaves an unlinked identity alone', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await tracked(memory, 'whoami');
    const before = world.identities.identity;
    await tracked(memory, 'logout', 0, async () => expect(await app.logout.execute()).toEqual({ kind: 'not-logged-in' }));
    expect(world.identities.identity).toBe(before);
  });
});

describe('Whoami', () => {
  it('answers the email, or an actionable error', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await expect(app.whoami.execute()).rejects.toMatchObject({ code: 'not-logged-in' });
    world.credentials.stored = { kind: 'unreadable', reason: 'it is not valid YAML (line 2)' };
    await expect(app.whoami.execute()).rejects.toThrow('Cannot read ~/.arcade/credentials.yaml: it is not valid YAML (line 2).');
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    expect(await app.whoami.execute()).toEqual({ email: ALICE.email, maskedKey: null, login: 'api-key', context: null });
  });
});
