import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../src/domain/errors.js';
import { ALICE, commandRun, memoryApp, withAccounts } from '../support/memory-app.js';

const request = { timeoutMs: 1000, onLoginUrl: () => undefined };

describe('Login', () => {
  it('says who is logged in and opens nothing when already logged in', async () => {
    const { world, app } = memoryApp();
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    expect(await app.login.execute(request)).toEqual({ kind: 'already-logged-in', email: ALICE.email });
    expect(world.browserLogin.requests).toEqual([]);
  });

  it('saves the credentials, aliases synchronously, links, and masks the key', async () => {
    const { world, app } = memoryApp();
    withAccounts(world);
    await app.trackCommand.execute(commandRun(world, 'whoami', 1));
    const anonId = world.identities.identity!.anonId;
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    const outcome = await app.login.execute(request);
    expect(outcome).toEqual({ kind: 'logged-in', email: ALICE.email, maskedKey: 'arc_…6789' });
    expect(world.sink.received.map((m) => [m.event, m.distinctId, m.properties.alias])).toEqual([
      ['$create_alias', ALICE.principalId, anonId],
    ]);
    expect(world.identities.identity!.linkedPrincipalId).toBe(ALICE.principalId);
    // The login's own event then goes out as the principal, with no second alias.
    await app.trackCommand.execute(commandRun(world, 'login'));
    expect(world.outbox.messages().map((m) => [m.event, m.distinctId])).toEqual([
      ['CLI execution failed', anonId],
      ['CLI execution succeeded', ALICE.principalId],
    ]);
  });

  it.each([
    [{ kind: 'state-mismatch' } as const, 'login-state-mismatch'],
    [{ kind: 'incomplete' } as const, 'login-incomplete'],
    [{ kind: 'timed-out' } as const, 'login-timeout'],
  ])('fails with %j and saves nothing', async (result, code) => {
    const { world, app } = memoryApp();
    world.browserLogin.result = result;
    await expect(app.login.execute(request)).rejects.toMatchObject({ code });
    await expect(app.login.execute(request)).rejects.toBeInstanceOf(AppError);
    expect(world.credentials.stored).toEqual({ kind: 'none' });
  });

  it('asks the Cloud it logged in to (login --host) for the principal', async () => {
    const { world, app } = memoryApp();
    withAccounts(world);
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    await app.login.execute({ ...request, cloudUrl: 'https://staging.cloud.example' });
    expect(world.principals.lookupClouds).toEqual(['https://staging.cloud.example']);
    expect(world.identities.identity!.linkedPrincipalId).toBe(ALICE.principalId);
  });

  it('makes no lookup and no alias when tracking is disabled', async () => {
    const { world, app } = memoryApp({ DO_NOT_TRACK: '1' });
    withAccounts(world);
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    expect((await app.login.execute(request)).kind).toBe('logged-in');
    expect([world.principals.lookups, world.sink.requests, world.identities.identity]).toEqual([[], [], null]);
  });
});

describe('Logout and RotateIdentity', () => {
  it('deletes the credentials; the logout event goes out as the principal, then the id rotates', async () => {
    const { world, app } = memoryApp();
    withAccounts(world);
    world.browserLogin.result = { kind: 'authorized', apiKey: ALICE.apiKey, email: ALICE.email };
    await app.login.execute(request);
    const anonId = world.identities.identity!.anonId;
    expect(await app.logout.execute()).toEqual({ kind: 'logged-out', email: ALICE.email });
    await app.trackCommand.execute(commandRun(world, 'logout'));
    expect(await app.rotateIdentity.execute()).toBe(true);
    await app.trackCommand.execute(commandRun(world, 'whoami', 1));
    const [logoutEvent, next] = world.outbox.messages();
    expect(logoutEvent!.distinctId).toBe(ALICE.principalId);
    expect(next!.distinctId).toBe(world.identities.identity!.anonId);
    expect(next!.distinctId).not.toBe(anonId);
    expect(world.identities.identity!.linkedPrincipalId).toBeNull();
  });

  it('says so when not logged in, and leaves an unlinked identity alone', async () => {
    const { world, app } = memoryApp();
    await app.trackCommand.execute(commandRun(world, 'whoami'));
    const before = world.identities.identity;
    expect(await app.logout.execute()).toEqual({ kind: 'not-logged-in' });
    expect(await app.rotateIdentity.execute()).toBe(false);
    expect(world.identities.identity).toBe(before);
  });
});

describe('Whoami', () => {
  it('answers the email, or an actionable error', async () => {
    const { world, app } = memoryApp();
    await expect(app.whoami.execute()).rejects.toMatchObject({ code: 'not-logged-in' });
    world.credentials.stored = { kind: 'unreadable', reason: 'it is not valid YAML (line 2)' };
    await expect(app.whoami.execute()).rejects.toThrow('Cannot read ~/.arcade/credentials.yaml: it is not valid YAML (line 2).');
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    expect(await app.whoami.execute()).toEqual({ email: ALICE.email });
  });
});
