/** Both credential layouts (the fs adapter on a real directory) and the refresh of an access token (over in-memory adapters). */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLocalDateTime, FsCredentialsStore, parseLocalDateTime } from '../../src/adapters/fs/fs-credentials-store.js';
import { StateDir } from '../../src/adapters/fs/state-dir.js';
import { AppError } from '../../src/domain/errors.js';
import { needsRefresh, type Credentials } from '../../src/domain/principal.js';
import { memoryApp } from '../support/memory-app.js';

let root: string;
let store: FsCredentialsStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'arcade-oauth-'));
  store = new FsCredentialsStore(new StateDir(join(root, '.arcade')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const PYTHON_OAUTH = `cloud:
  auth:
    access_token: at_1
    expires_at: '2026-12-07T23:10:05.250000'
    refresh_token: rt_1
  context:
    org_id: org_acme
    org_name: Acme
    project_id: prj_1
    project_name: Default
  coordinator_url: https://cloud.arcade.dev
  unknown_key: kept
  user:
    email: ada@example.com
other_section:
  a: 1
`;

async function found(): Promise<Credentials> {
  const read = await store.load();
  if (read.kind !== 'found') throw new Error(`expected credentials, got ${JSON.stringify(read)}`);
  return read.credentials;
}

describe('credentials.yaml in either layout', () => {
  it("reads today's Python CLI's OAuth layout: the access token as bearer, the session, the context", async () => {
    await new StateDir(join(root, '.arcade')).ensure();
    writeFileSync(join(root, '.arcade', 'credentials.yaml'), PYTHON_OAUTH, { mode: 0o600 });
    const credentials = await found();
    expect(credentials).toMatchObject({
      bearer: 'at_1',
      email: 'ada@example.com',
      oauth: { accessToken: 'at_1', refreshToken: 'rt_1', coordinatorUrl: 'https://cloud.arcade.dev' },
      context: { orgId: 'org_acme', orgName: 'Acme', projectId: 'prj_1', projectName: 'Default' },
    });
    expect(credentials.oauth?.expiresAt).toEqual(new Date(2026, 11, 7, 23, 10, 5, 250));
    expect(credentials.keyFingerprint).not.toContain('at_1');
  });

  it('keeps the login fingerprint across a refresh, and every unknown key across a rewrite', async () => {
    await new StateDir(join(root, '.arcade')).ensure();
    writeFileSync(join(root, '.arcade', 'credentials.yaml'), PYTHON_OAUTH, { mode: 0o600 });
    const before = await found();
    const after = await store.updateSession(async () => ({
      accessToken: 'at_2',
      refreshToken: 'rt_2',
      expiresAt: new Date(2030, 0, 1),
    }));
    if (after.kind !== 'found') throw new Error('expected credentials');
    expect(after.credentials.keyFingerprint).toBe(before.keyFingerprint);
    expect(after.credentials.oauth).toMatchObject({ accessToken: 'at_2', refreshToken: 'rt_2', expiresAt: new Date(2030, 0, 1) });
    const text = readFileSync(join(root, '.arcade', 'credentials.yaml'), 'utf8');
    for (const kept of ['unknown_key: kept', 'other_section:', 'org_name: Acme', 'email: ada@example.com'])
      expect(text).toContain(kept);
    expect(text).toContain('expires_at: 2030-01-01T00:00:00.000000');
  });

  it('reads the API-key layout as before, and an incomplete session as unreadable, saying what is missing', async () => {
    await store.save('arc_key_0123456789abcdef', 'bob@example.com');
    expect(await found()).toMatchObject({ bearer: 'arc_key_0123456789abcdef', oauth: null, context: null });
    writeFileSync(join(root, '.arcade', 'credentials.yaml'), 'cloud:\n  auth:\n    access_token: at_only\n');
    expect(await store.load()).toEqual({ kind: 'unreadable', reason: 'its cloud.auth has no access_token or refresh_token' });
    writeFileSync(join(root, '.arcade', 'credentials.yaml'), 'cloud:\n  user:\n    email: x@example.com\n');
    expect(await store.load()).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('neither cloud.auth') });
  });

  it('saving an API key over a session leaves the API-key layout alone, so the key is what is read', async () => {
    await new StateDir(join(root, '.arcade')).ensure();
    writeFileSync(join(root, '.arcade', 'credentials.yaml'), PYTHON_OAUTH, { mode: 0o600 });
    await store.save('arc_key_0123456789abcdef', 'bob@example.com');
    expect(await found()).toMatchObject({ bearer: 'arc_key_0123456789abcdef', oauth: null });
    expect(readFileSync(join(root, '.arcade', 'credentials.yaml'), 'utf8')).toContain('unknown_key: kept');
  });
});

describe('expires_at', () => {
  it.each([
    ['2026-12-07T23:10:05.250000', new Date(2026, 11, 7, 23, 10, 5, 250)],
    ['2026-12-07 23:10:05', new Date(2026, 11, 7, 23, 10, 5)],
    ['2026-12-07T23:10', new Date(2026, 11, 7, 23, 10)],
    ['2026-12-07T23:10:05Z', new Date(Date.UTC(2026, 11, 7, 23, 10, 5))],
    ['2026-12-07T23:10:05.5+02:00', new Date(Date.UTC(2026, 11, 7, 21, 10, 5, 500))],
  ])('reads %s', (text, expected) => {
    expect(parseLocalDateTime(text)).toEqual(expected);
  });

  it.each([['tomorrow'], [''], [42], [null], ['2026-13-45T99:99:99']])(
    'is unreadable for %p (the token then counts as expiring)',
    (value) => {
      expect(parseLocalDateTime(value)).toBeNull();
    },
  );

  it('is written as Python writes datetime.now(): local time, no zone, microseconds', () => {
    const date = new Date(2026, 0, 2, 3, 4, 5, 6);
    expect(formatLocalDateTime(date)).toBe('2026-01-02T03:04:05.006000');
    expect(parseLocalDateTime(formatLocalDateTime(date))).toEqual(date);
  });
});

describe('an access token about to expire', () => {
  function session(expiresAt: Date | null) {
    const { world, app } = memoryApp();
    world.credentials.stored = {
      kind: 'found',
      credentials: {
        bearer: 'at_0',
        email: 'ada@example.com',
        keyFingerprint: 'f',
        oauth: { accessToken: 'at_0', refreshToken: 'rt_0', expiresAt, coordinatorUrl: null },
        context: null,
        source: 'file',
      },
    };
    world.coordinator.liveRefreshTokens.add('rt_0');
    return { world, app };
  }

  it('is refreshed within 5 minutes of its expiry, at the configured Cloud when the login names none', async () => {
    const { world, app } = session(null);
    const now = world.clock.now();
    expect(needsRefresh(await app.authorizeArcade.execute(), now)).toBe(false);
    expect(world.coordinator.refreshes).toEqual([{ coordinatorUrl: 'https://cloud.arcade.dev', refreshToken: 'rt_0' }]);
    expect(world.credentials.stored).toMatchObject({
      kind: 'found',
      credentials: { bearer: 'access-1', oauth: { refreshToken: 'refresh-1' } },
    });
  });

  it('is left alone with more than 5 minutes to go', async () => {
    const { world, app } = session(null);
    const credentials = world.credentials.stored.kind === 'found' ? world.credentials.stored.credentials : null;
    world.credentials.stored = {
      kind: 'found',
      credentials: {
        ...credentials!,
        oauth: { ...credentials!.oauth!, expiresAt: new Date(world.clock.now().getTime() + 5 * 60_000 + 1000) },
      },
    };
    expect((await app.authorizeArcade.execute()).bearer).toBe('at_0');
    expect(world.coordinator.refreshes).toEqual([]);
  });

  it('whose refresh is refused is the end of the login: an AppError naming arcade login', async () => {
    const { world, app } = session(new Date(0));
    world.coordinator.liveRefreshTokens.clear();
    const failure = app.authorizeArcade.execute();
    await expect(failure).rejects.toThrow(AppError);
    await expect(failure).rejects.toThrow('Your login expired: run `arcade login`.');
    expect(world.credentials.stored).toMatchObject({ credentials: { bearer: 'at_0' } });
  });
});
