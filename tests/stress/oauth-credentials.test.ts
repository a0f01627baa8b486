/**
 * Both CLIs on one machine: the credentials and usage.json that today's Python Arcade CLI leaves
 * after its OAuth `arcade login`, read by this CLI everywhere (whoami, server commands, tracking),
 * with the identity the Python CLI linked kept as it is, and access tokens refreshed safely.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeArcadeCloud, OAuthUser } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakeArcadeEngine } from '../../src/stand-ins/fake-arcade-engine.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import type { Sandbox } from '../support/sandbox.js';
import { useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let engine: FakeArcadeEngine;
let sandbox: Sandbox;

const ADA: OAuthUser = {
  accountId: 'acct-123',
  email: 'ada@example.com',
  organizations: [
    { org_id: 'org_other', name: 'Other' },
    { org_id: 'org_acme', name: 'Acme', is_default: true },
  ],
  projects: [{ project_id: 'prj_default', name: 'Default', is_default: true }],
};
const CONTEXT = { orgId: 'org_acme', orgName: 'Acme', projectId: 'prj_default', projectName: 'Default' };
const ANON = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';

useStandIns((world) => {
  ({ posthog, cloud, engine, sandbox } = world);
  cloud.oauth = true;
  cloud.onAccessToken = (token) => engine.apiKeys.add(token);
  engine.workers.push({ id: 'w1', enabled: true, uri: 'http://w1.example:8002', tools: [] });
});

/** Today's Python CLI logged in as Ada: OAuth credentials, and usage.json linked to her account id. */
function loggedInByPythonCli(expiresInMs = 3600_000, extra = ''): { accessToken: string; refreshToken: string } {
  const tokens = cloud.issueTokens(ADA);
  sandbox.writeOAuthCredentials({
    ...tokens,
    expiresAt: new Date(Date.now() + expiresInMs),
    coordinatorUrl: cloud.url,
    email: ADA.email,
    context: CONTEXT,
    extra,
  });
  writeFileSync(
    sandbox.file('usage.json'),
    `${JSON.stringify({ anon_id: ANON, linked_principal_id: ADA.accountId }, null, 2)}\n`,
  );
  return tokens;
}

describe("today's Python CLI's OAuth login", () => {
  it('is read by whoami, server list and usage status; its link is kept, and every event goes out under the account', async () => {
    loggedInByPythonCli();
    const whoami = await sandbox.run(['whoami']);
    expect(whoami).toExitWith(0);
    expect(whoami.stdout).toBe('ada@example.com\nOrganization: Acme (org_acme)\nProject:      Default (prj_default)\n');
    const json = await sandbox.run(['whoami', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      loggedIn: true,
      email: ADA.email,
      organization: { id: 'org_acme', name: 'Acme' },
      project: { id: 'prj_default', name: 'Default' },
    });
    const list = await sandbox.run(['server', 'list', '--json']);
    expect(list).toExitWith(0);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((row) => row.id)).toEqual(['w1']);
    const status = await sandbox.run(['usage', 'status']);
    expect(status.stdout).toContain('Distinct id:     acct-123 (linked to your Arcade account)');

    const events = await posthog.waitForEvents(4);
    await sandbox.waitForNoProcesses();
    expect(posthog.events.map((event) => event.event)).not.toContain('$create_alias');
    expect(events.map((event) => [event.distinct_id, event.properties.org_id, event.properties.project_id])).toEqual(
      Array(4).fill([ADA.accountId, 'org_acme', 'prj_default']),
    );
    // The identity the Python CLI linked is the same (our own lookup cache beside it aside), and no
    // lookup was needed to keep it.
    expect(JSON.parse(readFileSync(sandbox.file('usage.json'), 'utf8'))).toMatchObject({
      anon_id: ANON,
      linked_principal_id: ADA.accountId,
    });
    expect(cloud.whoamiRequests).toBe(0);
    expect(cloud.lookups).toEqual([]);
  });

  it('unlinked, with whoami answering after 5 s: no command waits; the delivery links, the alias before the first event under the account', async () => {
    loggedInByPythonCli();
    writeFileSync(sandbox.file('usage.json'), `${JSON.stringify({ anon_id: ANON, linked_principal_id: null })}\n`);
    cloud.whoamiDelayMs = 5000;
    // First with the delivery lock held (kept fresh), so no delivery starts: the command alone makes no request to whoami.
    const lock = join(sandbox.stateDir, 'usage-delivery.lock');
    mkdirSync(lock);
    const fresh = setInterval(() => utimesSync(lock, new Date(), new Date()), 300);
    try {
      expect(await sandbox.run(['whoami'])).toExitWith(0);
    } finally {
      clearInterval(fresh);
      rmSync(lock, { recursive: true });
    }
    expect(cloud.whoamiRequests).toBe(0);
    // The next command starts a delivery, which asks.
    expect(await sandbox.run(['whoami'])).toExitWith(0);
    await posthog.waitForEvents(3, 20_000);
    await sandbox.waitForNoProcesses(20_000);
    expect(posthog.events.map((event) => [event.event, event.distinct_id])).toEqual([
      ['CLI execution succeeded', ANON],
      ['CLI execution succeeded', ANON],
      ['$create_alias', ADA.accountId],
    ]);
    // The commands' events under the anonymous id the alias merges (person processing on).
    for (const event of posthog.events.slice(0, 2)) expect(event.properties).not.toHaveProperty('$process_person_profile');
    expect(posthog.events[2].properties.alias).toBe(ANON);
    expect(cloud.whoamiRequests).toBe(1);
    expect(await sandbox.run(['whoami'])).toExitWith(0);
    expect((await posthog.waitForEvents(4))[3].distinct_id).toBe(ADA.accountId);
    expect(cloud.whoamiRequests).toBe(1);
  });

  it('logout removes it, and the next event is anonymous under a fresh id', async () => {
    loggedInByPythonCli();
    const logout = await sandbox.run(['logout']);
    expect(logout).toExitWith(0);
    expect(await sandbox.run(['whoami'])).toExitWith(1);
    await posthog.waitForEvents(2);
    const [out, after] = posthog.events;
    expect([out.properties.command_name, out.distinct_id]).toEqual(['logout', ADA.accountId]);
    expect(after.distinct_id).not.toBe(ANON);
    expect(after.properties.$process_person_profile).toBe(false);
  });
});

describe('access tokens', () => {
  it('ten commands at once with the token about to expire: one refresh, all succeed, the rotated tokens saved, other keys kept', async () => {
    const before = loggedInByPythonCli(60_000, '  extra_setting: keep-me\n');
    cloud.tokenDelayMs = 300;
    sandbox.env.ARCADE_USAGE_TRACKING = '0';
    const runs = await Promise.all(Array.from({ length: 10 }, () => sandbox.run(['server', 'list', '--json'])));
    for (const run of runs) expect(run).toExitWith(0);
    expect(cloud.tokenRequests).toEqual([{ grantType: 'refresh_token', refreshToken: before.refreshToken }]);
    const saved = readFileSync(sandbox.file('credentials.yaml'), 'utf8');
    const [rotated] = [...cloud.refreshTokens.keys()];
    expect(saved).toContain(`refresh_token: ${rotated}`);
    expect(saved).not.toContain(before.refreshToken);
    expect(saved).toContain('extra_setting: keep-me');
    expect(saved).toContain('org_id: org_acme');
    // The new expiry, as local time without a zone (what Python's datetime.now() writes), an hour ahead.
    const expiresAt = /expires_at: '?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})'?/.exec(saved)?.[1];
    expect(expiresAt).toBeDefined();
    expect(new Date(expiresAt!).getTime() - Date.now()).toBeGreaterThan(50 * 60_000);
    // And the next command uses them without another refresh.
    expect(await sandbox.run(['server', 'list'])).toExitWith(0);
    expect(cloud.tokenRequests).toHaveLength(1);
  });

  it('a refused refresh (the refresh token already used) exits 1 naming arcade login, and changes nothing', async () => {
    const tokens = loggedInByPythonCli(60_000);
    cloud.refreshTokens.delete(tokens.refreshToken);
    const before = readFileSync(sandbox.file('credentials.yaml'), 'utf8');
    const run = await sandbox.run(['server', 'list']);
    expect(run).toExitWith(1);
    expect(run.stderr.split('\n')[0]).toBe('Your login expired: run `arcade login`.');
    expect(readFileSync(sandbox.file('credentials.yaml'), 'utf8')).toBe(before);
  });

  it('tracking never refreshes a token: an expired one still attributes events by the kept link', async () => {
    loggedInByPythonCli(-3600_000);
    expect(await sandbox.run(['whoami'])).toExitWith(0);
    expect(await sandbox.run(['usage', 'status'])).toExitWith(0);
    await posthog.waitForEvents(2);
    await sandbox.waitForNoProcesses();
    expect(cloud.tokenRequests).toEqual([]);
    expect(posthog.events.map((event) => event.distinct_id)).toEqual([ADA.accountId, ADA.accountId]);
  });
});

describe('arcade org and arcade project', () => {
  it('list the account’s organizations and projects, the active one marked; set changes the context and the next event', async () => {
    cloud.projectsByOrg.set('org_other', [
      { project_id: 'prj_o1', name: 'Staging' },
      { project_id: 'prj_o2', name: 'Production', is_default: true },
    ]);
    loggedInByPythonCli();
    const orgs = await sandbox.run(['org', 'list']);
    expect(orgs).toExitWith(0);
    expect(orgs.stdout).toBe('org_other\tOther\t\norg_acme\tAcme\tactive\n');
    expect(JSON.parse((await sandbox.run(['org', 'list', '--json'])).stdout)).toEqual([
      { id: 'org_other', name: 'Other', active: false },
      { id: 'org_acme', name: 'Acme', active: true },
    ]);
    const set = await sandbox.run(['org', 'set', 'other']);
    expect(set).toExitWith(0);
    expect(set.stdout).toBe('Active organization: Other (org_other), project: Production (prj_o2).\n');
    const projects = await sandbox.run(['project', 'list']);
    expect(projects.stdout).toBe('prj_o1\tStaging\t\nprj_o2\tProduction\tactive\n');
    expect(await sandbox.run(['project', 'set', 'prj_o1'])).toExitWith(0);
    const saved = readFileSync(sandbox.file('credentials.yaml'), 'utf8');
    expect(saved).toContain('org_id: org_other');
    expect(saved).toContain('project_name: Staging');
    expect(await sandbox.run(['whoami'])).toExitWith(0);

    await posthog.waitForEvents(6);
    await sandbox.waitForNoProcesses();
    const byCommand = posthog.events.map((event) => [
      event.properties.command_name,
      event.properties.org_id,
      event.properties.project_id,
    ]);
    expect(byCommand).toEqual([
      ['org.list', 'org_acme', 'prj_default'],
      ['org.list', 'org_acme', 'prj_default'],
      ['org.set', 'org_other', 'prj_o2'],
      ['project.list', 'org_other', 'prj_o2'],
      ['project.set', 'org_other', 'prj_o1'],
      ['whoami', 'org_other', 'prj_o1'],
    ]);
  });

  it('say what is wrong: an unknown name, or a login made with an API key', async () => {
    loggedInByPythonCli();
    const unknown = await sandbox.run(['org', 'set', 'Nope']);
    expect(unknown).toExitWith(1);
    expect(unknown.stderr.split('\n')[0]).toBe('No organization Nope in your account (`arcade org list` shows them).');
    sandbox.writeCredentials('arc_live_4f8b2c9d1e7a6b3c5d0e9f8a', 'alice@example.com');
    const apiKey = await sandbox.run(['project', 'list']);
    expect(apiKey).toExitWith(1);
    expect(apiKey.stderr.split('\n')[0]).toBe(
      "Organizations and projects need today's login; this one is an API key. Run `arcade logout` and `arcade login`.",
    );
  });
});
