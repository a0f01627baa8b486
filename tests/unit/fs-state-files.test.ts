/** The fs adapters on a real temporary directory: torn writes, stale and held locks, modes. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  chmodSync,
  readFileSync,
  existsSync,
  symlinkSync,
  unlinkSync as removeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { removeDeadTempFiles, writeFileAtomic } from '../../src/adapters/fs/atomic-write.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import { acquireLock, LOCK_STALE_MS } from '../../src/adapters/fs/file-lock.js';
import { FsCredentialsStore } from '../../src/adapters/fs/fs-credentials-store.js';
import { FsIdentityStore, IDENTITY_LOCK_WAIT_MS } from '../../src/adapters/fs/fs-identity-store.js';
import { FsDeliveryStart } from '../../src/adapters/fs/delivery-start.js';
import { FsOutbox } from '../../src/adapters/fs/fs-outbox.js';
import { StateDir } from '../../src/adapters/fs/state-dir.js';
import type { Identity } from '../../src/domain/identity.js';

const ANON = '5d3a8f0e-2b1c-4c7d-9e6f-0a1b2c3d4e5f';
const OTHER = '0f1e2d3c-4b5a-4968-8776-655443322110';
let root: string;
let dir: StateDir;
let store: FsIdentityStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'arcade-fs-'));
  dir = new StateDir(join(root, '.arcade'));
  store = new FsIdentityStore(dir);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const identity = (anonId: string) => ({ anonId, linkedPrincipalId: null, lookup: null });
/** Stores `value` (null: deletes) and resolves to it. */
const put = (into: FsIdentityStore, value: Identity | null) => into.update(() => ({ result: value, next: value }));

describe('torn writes', () => {
  it('never shows a reader the half-written file a killed writer left behind', async () => {
    await put(store, identity(ANON));
    // A writer killed mid-write leaves only its temp file; the real file is untouched.
    writeFileSync(join(dir.path, '.usage.json.tmp-999999-deadbeef'), '{"anon_id": "0f1e2d3c-4b5a');
    mkdirSync(join(dir.path, 'usage-outbox'));
    writeFileSync(join(dir.path, 'usage-outbox', '.001-x.json.tmp-999998-deadbeef'), '{"recorded');
    expect(await store.read()).toEqual(identity(ANON));
    expect(removeDeadTempFiles(dir.path)).toBe(2);
    expect(readdirSync(join(dir.path, 'usage-outbox'))).toEqual([]);
    expect(readdirSync(dir.path).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('keeps temp files of live processes, including its own', async () => {
    mkdirSync(dir.path, { recursive: true });
    writeFileSync(join(dir.path, `.usage.json.tmp-${process.pid}-00000000`), 'in progress');
    expect(removeDeadTempFiles(dir.path)).toBe(0);
  });

  it('replaces a file torn by another writer (a truncated JSON) with a fresh identity', async () => {
    mkdirSync(dir.path, { recursive: true });
    writeFileSync(join(dir.path, 'usage.json'), `{"anon_id": "${ANON}", "linked_pri`);
    expect(await store.read()).toBeNull();
    const created = await store.update((current) => ({ result: current ?? identity(OTHER), next: current ?? identity(OTHER) }));
    expect(created).toEqual(identity(OTHER));
    expect(await store.read()).toEqual(identity(OTHER));
  });

  it('writes by replacing the file: the newest content, mode 0600, and no temp file remains', () => {
    const path = join(root, 'file.json');
    writeFileAtomic(path, 'old');
    for (let i = 0; i < 20; i++) writeFileAtomic(path, `new-${i}`);
    expect(readFileSync(path, 'utf8')).toBe('new-19');
    expect(readdirSync(root)).toEqual(['file.json']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('locks', () => {
  it('takes over a lock whose holder died (stale), within seconds', async () => {
    mkdirSync(join(dir.path, 'usage.json.lock'), { recursive: true });
    const past = new Date(Date.now() - LOCK_STALE_MS - 1000);
    utimesSync(join(dir.path, 'usage.json.lock'), past, past);
    // Taken over at the first try: a store that does not wait at all still gets it.
    await put(new FsIdentityStore(dir, 0), identity(ANON));
    expect(await store.read()).toEqual(identity(ANON));
    expect(readdirSync(dir.path)).toEqual(['usage.json']);
  });

  it('takes over a lock dated a year ahead (a clock that ran ahead) at once, and never counts it as held', async () => {
    const lockDir = join(dir.path, 'usage.json.lock');
    mkdirSync(lockDir, { recursive: true });
    const ahead = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    utimesSync(lockDir, ahead, ahead);
    const outbox = new FsOutbox(dir);
    mkdirSync(join(dir.path, 'usage-delivery.lock'));
    utimesSync(join(dir.path, 'usage-delivery.lock'), ahead, ahead);
    expect(await outbox.claimHeld()).toBe(false);
    // Waiting once for a live holder (300 ms) would not be enough for a lock that never goes stale.
    expect(await put(new FsIdentityStore(dir, 300), identity(ANON))).toEqual(identity(ANON));
    const claim = await outbox.claim(0);
    expect(claim).not.toBeNull();
    await claim!.release();
  });

  it('fails at once, naming the cause, when the lock cannot be made at all', async () => {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'not-a-dir'), '');
    // With a minute to wait, only an immediate failure ends within the test's timeout.
    await expect(acquireLock(join(root, 'not-a-dir', 'usage.json'), { waitMs: 60_000 })).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
  });

  it('waits for a live holder, and fails as busy rather than hang when it never lets go', async () => {
    mkdirSync(dir.path, { recursive: true });
    const release = await acquireLock(join(dir.path, 'usage.json'), { waitMs: 0 });
    expect(release).not.toBeNull();
    try {
      const started = Date.now();
      const impatient = new FsIdentityStore(dir, 300);
      await expect(put(impatient, identity(ANON))).rejects.toMatchObject({ code: 'busy' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      // By default it waits longer than a dead holder's lock takes to go stale, so only a live holder makes it give up.
      expect(IDENTITY_LOCK_WAIT_MS).toBeGreaterThan(LOCK_STALE_MS);
    } finally {
      await release!();
    }
    expect(await put(store, identity(ANON))).toEqual(identity(ANON));
  });

  it('serialises concurrent updates so that exactly one identity is created', async () => {
    const stores = Array.from({ length: 8 }, () => new FsIdentityStore(new StateDir(dir.path)));
    const created = await Promise.all(
      stores.map((each, i) =>
        each.update((current) => {
          const next = current ?? identity(`${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`);
          return { result: next, next };
        }),
      ),
    );
    expect(new Set(created.map((each) => each.anonId)).size).toBe(1);
  });
});

describe('modes', () => {
  it('creates .arcade 0700, tightening an existing one', async () => {
    mkdirSync(dir.path, { mode: 0o755 });
    chmodSync(dir.path, 0o755);
    await put(store, identity(ANON));
    expect(statSync(dir.path).mode & 0o777).toBe(0o700);
  });

  it('tightens a credentials.yaml that others could read', async () => {
    mkdirSync(dir.path, { recursive: true });
    const path = join(dir.path, 'credentials.yaml');
    writeFileSync(path, 'cloud:\n  api:\n    key: arc_0123456789abcdef\n  user:\n    email: a@example.com\n', { mode: 0o644 });
    chmodSync(path, 0o644);
    const read = await new FsCredentialsStore(dir).load();
    expect(read.kind).toBe('found');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('whether the credentials are settled', () => {
  it('is true for a regular file (followed through a link) unchanged for a second, and false otherwise', async () => {
    const credentials = new FsCredentialsStore(dir);
    const path = join(dir.path, 'credentials.yaml');
    expect(await credentials.settled()).toBe(false); // no file
    mkdirSync(path, { recursive: true });
    expect(await credentials.settled()).toBe(false); // a directory
    rmSync(path, { recursive: true });
    symlinkSync(path, path);
    expect(await credentials.settled()).toBe(false); // a link to itself
    removeFileSync(path);
    writeFileSync(path, 'cloud:\n  api:\n    key: arc_aaaaaaaaaaaa\n', { mode: 0o600 });
    expect(await credentials.settled()).toBe(false); // just written
    const link = new FsCredentialsStore(new StateDir(join(root, 'linked')));
    mkdirSync(join(root, 'linked'));
    symlinkSync(path, join(root, 'linked', 'credentials.yaml'));
    expect(await link.settled()).toBe(false);
    const settled = new Date(Date.now() - 5000);
    utimesSync(path, settled, settled); // (its change time is now: utimes changes it)
    await pollUntil(async () => ((await credentials.settled()) ? true : undefined), 5000, 'the file to settle');
    expect(await link.settled()).toBe(true);
  });
});

describe('the principal lookup in usage.json', () => {
  const lookup = {
    keyFingerprint: 'af63dc4c8601ec8c',
    principalId: 'usr_1',
    checkedAt: '2026-11-25T10:00:00.000Z',
  };

  it('is kept under key_fnv1a64, and read back as it was written', async () => {
    await put(store, { anonId: ANON, linkedPrincipalId: 'usr_1', lookup });
    const saved = JSON.parse(readFileSync(join(dir.path, 'usage.json'), 'utf8')) as { principal_lookup: unknown };
    expect(saved.principal_lookup).toEqual({
      key_fnv1a64: 'af63dc4c8601ec8c',
      principal_id: 'usr_1',
      checked_at: lookup.checkedAt,
    });
    expect((await store.read())?.lookup).toEqual(lookup);
  });

  it('saved by an older arcade as key_sha256 is not trusted: the principal is looked up again', async () => {
    mkdirSync(dir.path, { recursive: true });
    const older = { key_sha256: 'a'.repeat(64), principal_id: 'usr_1', checked_at: lookup.checkedAt };
    writeFileSync(
      join(dir.path, 'usage.json'),
      JSON.stringify({ anon_id: ANON, linked_principal_id: 'usr_1', principal_lookup: older }),
    );
    expect(await store.read()).toEqual({ anonId: ANON, linkedPrincipalId: 'usr_1', lookup: null });
  });
});

describe('outbox', () => {
  it('counts what is pending from the entries’ names alone, a file named otherwise as one', async () => {
    const outbox = new FsOutbox(dir);
    const message = { uuid: 'u', event: 'e', distinctId: 'd', properties: {}, timestamp: '2026-11-24T12:00:00.000Z' };
    const named = await outbox.append([message, { ...message, uuid: 'v' }]);
    expect(named).toMatch(/-m2s0\.json$/);
    // Its content no longer matches its name: the count comes from the name alone.
    writeFileSync(join(outbox.path, named), JSON.stringify({ recorded_at: '2026-11-24T12:00:00.000Z', messages: [] }));
    writeFileSync(
      join(outbox.path, '001795571819179-00000009294257039392-b8a8a1bb.json'),
      JSON.stringify({
        recorded_at: '2026-11-24T12:00:00.000Z',
        messages: ['w', 'x'].map((uuid) => ({ ...message, distinct_id: 'd', uuid })),
      }),
    );
    // Named without its counts, it is not an entry arcade wrote (the delivery drops and counts it): one, unread.
    expect(await outbox.pendingCount()).toEqual({ messages: 3, skippedRuns: 0 });
  });

  it('lists entries whole and in the order written, and skips markers as counts', async () => {
    const outbox = new FsOutbox(dir);
    const message = (uuid: string) => ({
      uuid,
      event: 'e',
      distinctId: 'd',
      properties: { n: 1 },
      timestamp: '2026-11-24T12:00:00.000Z',
    });
    await outbox.append([message('a1'), message('a2')]);
    await outbox.recordSkipped();
    await outbox.append([message('b')]);
    writeFileSync(join(outbox.path, '.000-x.json.tmp-999999-00'), '{"recorded');
    expect(await outbox.pendingCount()).toEqual({ messages: 3, skippedRuns: 1 });
    const start = new FsDeliveryStart(dir);
    expect(await start.reserve()).toBe(true); // one command starts a delivery process
    expect(await start.reserve()).toBe(false); // the next, before it runs, starts none
    const claim = (await outbox.claim(0))!;
    await start.end(); // the delivery ends the reservation once it has asked for the claim
    expect(await start.reserve()).toBe(false); // and nobody starts one while it holds the claim
    expect(await outbox.claim(0)).toBeNull();
    const entries = await claim.entries();
    expect(entries.map((entry) => [entry.messages.map((m) => m.uuid), entry.skippedRuns])).toEqual([
      [['a1', 'a2'], 0],
      [[], 1],
      [['b'], 0],
    ]);
    await claim.recordDelivered([
      { deliveredAt: '2026-11-24T12:00:01.000Z', wire: { uuid: 'a1', properties: { $lib: 'posthog-node' } } },
    ]);
    expect(await claim.clearAll()).toBe(3);
    await claim.release();
    expect(await start.reserve()).toBe(true);
    // A reservation whose process died before asking for the claim (or dated ahead by a wrong clock) is taken over.
    for (const age of [6000, -60_000]) {
      const at = new Date(Date.now() - age);
      utimesSync(join(dirname(outbox.path), 'usage-delivery.starting'), at, at);
      expect([age, await start.reserve()]).toEqual([age, true]);
    }
    // One naming a process that has died (a command killed before it started the delivery, or a
    // delivery killed before it asked for the claim) is taken over at once, however young.
    const starting = join(dirname(outbox.path), 'usage-delivery.starting');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(starting, `${dead}\n`);
    expect(await start.reserve()).toBe(true);
    // The command names the process it started; a live one keeps the reservation.
    await start.started(process.ppid);
    expect(readFileSync(starting, 'utf8')).toBe(`${process.ppid}\n`);
    expect(await start.reserve()).toBe(false);
    // Once the delivery has ended the reservation (it asked for the claim), naming it recreates nothing.
    await start.end();
    await start.started(process.ppid);
    expect(existsSync(starting)).toBe(false);
    // A reservation that is not a file of ours (a link put there) is neither written through nor read: its age decides.
    symlinkSync(join(root, 'elsewhere'), starting);
    await start.started(dead);
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
    expect(await start.reserve()).toBe(false);
    removeFileSync(starting);
    expect(await start.reserve()).toBe(true);
    // One made this very millisecond, whose time (finer than Date.now()) reads a fraction ahead, is fresh.
    const justNow = (Date.now() + 0.7) / 1000;
    utimesSync(join(dirname(outbox.path), 'usage-delivery.starting'), justNow, justNow);
    expect(await start.reserve()).toBe(false);
    expect([await outbox.pendingCount(), await outbox.delivered()]).toEqual([{ messages: 0, skippedRuns: 0 }, []]);
  });
});
