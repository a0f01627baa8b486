/**
 * `arcade login` the way Arcade logs in today: OAuth 2.0 with PKCE against the Cloud stand-in
 * playing the Coordinator, the fake browser following its redirects; and the logins without a
 * browser (`--with-api-key`).
 */
import { describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeArcadeCloud, OAuthUser } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakeArcadeEngine } from '../../src/stand-ins/fake-arcade-engine.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import { freePort, type Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let engine: FakeArcadeEngine;
let sandbox: Sandbox;

const ADA: OAuthUser = {
  accountId: 'acct-ada',
  email: 'ada@example.com',
  organizations: [{ org_id: 'org_acme', name: 'Acme', is_default: true }],
  projects: [
    { project_id: 'prj_first', name: 'First' },
    { project_id: 'prj_main', name: 'Main', is_default: true },
  ],
};

useStandIns((world) => {
  ({ posthog, cloud, engine, sandbox } = world);
  cloud.oauth = true;
  cloud.oauthLoginUser = ADA;
  cloud.onAccessToken = (token) => engine.apiKeys.add(token);
  engine.workers.push({ id: 'w1', enabled: true, uri: 'http://w1.example:8002', tools: [] });
});

/** `arcade login` with its callback server on a free port (9905, the default, is the demo's). */
async function login(env: Record<string, string> = {}) {
  return sandbox.run(['login', '--timeout', '20', '--callback-host', `127.0.0.1:${await freePort()}`], env);
}

describe('arcade login (OAuth with PKCE)', () => {
  it('saves the login in the Python CLI layout, aliases to the account id before the login event, and the next commands use it', async () => {
    const anonymous = await sandbox.run(['whoami']);
    expect(anonymous).toExitWith(1);
    const result = await login();
    expect(result).toExitWith(0);
    expect(result.stdout).toBe('Logged in as ada@example.com.\nActive organization: Acme, project: Main.\n');
    const saved = readFileSync(sandbox.file('credentials.yaml'), 'utf8');
    expect(statSync(sandbox.file('credentials.yaml')).mode & 0o777).toBe(0o600);
    for (const line of [
      `coordinator_url: ${cloud.url}`,
      'org_id: org_acme',
      'project_id: prj_main',
      'project_name: Main',
      'email: ada@example.com',
      'access_token: at_',
      'refresh_token: rt_',
    ])
      expect(saved).toContain(line);
    expect(saved).toMatch(/expires_at: "?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}"?\n/);
    expect(saved).not.toContain('id_token');
    // The PKCE verifier was checked by the token endpoint, and the code used once.
    expect(cloud.tokenRequests.map((request) => request.grantType)).toEqual(['authorization_code']);

    const whoami = await sandbox.run(['whoami']);
    expect(whoami.stdout).toBe('ada@example.com\nOrganization: Acme (org_acme)\nProject:      Main (prj_main)\n');
    expect(await sandbox.run(['server', 'list'])).toExitWith(0);

    await posthog.waitForEvents(5);
    await sandbox.waitForNoProcesses();
    const names = posthog.events.map((event) => [event.event, event.distinct_id, event.properties.command_name ?? null]);
    const anonId = posthog.events[0].distinct_id;
    expect(names).toEqual([
      ['CLI execution failed', anonId, 'whoami'],
      ['$create_alias', ADA.accountId, null],
      ['CLI execution succeeded', ADA.accountId, 'login'],
      ['CLI execution succeeded', ADA.accountId, 'whoami'],
      ['CLI execution succeeded', ADA.accountId, 'server.list'],
    ]);
    expect(posthog.events[1].properties.alias).toBe(anonId);
    for (const event of posthog.events.slice(2))
      expect([event.properties.org_id, event.properties.project_id]).toEqual(['org_acme', 'prj_main']);
    // login knew the account id: no whoami beyond its own.
    expect(cloud.whoamiRequests).toBe(1);
  });

  it('already logged in (either layout): says as whom, opens nothing', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    const result = await login();
    expect(result).toExitWith(0);
    expect(result.stdout).toBe('Already logged in as alice@example.com. Run `arcade logout` first to switch accounts.\n');
    expect(cloud.tokenRequests).toEqual([]);
  });

  it('the Coordinator declining, or a forged state: exit 1, the reason in one line, nothing saved', async () => {
    cloud.oauthError = 'access_denied';
    const declined = await login();
    expect(declined).toExitWith(1);
    expect(declined.stderr.split('\n').find((line) => line.startsWith('Login failed'))).toBe(
      'Login failed: Arcade Cloud said The login was declined. (nothing was saved).',
    );
    cloud.oauthError = null;
    cloud.forgeState = true;
    const forged = await login();
    expect(forged).toExitWith(1);
    expect(forged.stderr).toContain('Login failed: the callback did not carry the state this login sent (nothing was saved).');
    expect(existsSync(sandbox.file('credentials.yaml'))).toBe(false);
    expect(cloud.tokenRequests).toEqual([]);
  });

  it('refuses before opening the browser when the state directory cannot be written', async () => {
    // A home the user cannot write to (a container's, say): .arcade cannot even be made.
    chmodSync(sandbox.workDir, 0o500);
    const urlFile = join(sandbox.root, 'browser-got');
    const result = await sandbox.run(['login', '--timeout', '5'], { FAKE_BROWSER_SAVE_URL: urlFile });
    chmodSync(sandbox.workDir, 0o700);
    expect(result).toExitWith(1);
    expect(result.stderr.split('\n')[0]).toMatch(
      /^Cannot save credentials in .+\/\.arcade \(EACCES: permission denied\)\. Check that directory, or set ARCADE_WORK_DIR\.$/,
    );
    expect(existsSync(urlFile)).toBe(false);
  });

  it("answers only a callback whose Host is the server's own (no DNS rebinding)", async () => {
    const port = await freePort();
    const urlFile = join(sandbox.root, 'login-url');
    const child = sandbox.spawn(['login', '--timeout', '20', '--callback-host', `127.0.0.1:${port}`], {
      FAKE_BROWSER_SAVE_URL: urlFile,
      ARCADE_USAGE_TRACKING: '0',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const saved = await pollUntil(
      () => (existsSync(urlFile) ? readFileSync(urlFile, 'utf8') || undefined : undefined),
      10_000,
      'the login URL',
    );
    const authorization = new URL(saved);
    expect(authorization.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    // A page that points evil.example at 127.0.0.1 and calls back with the right state: not answered.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: `/callback?state=${authorization.searchParams.get('state')}&code=x`,
          headers: { host: 'evil.example' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(404);
    // The real login still completes.
    await fetch(saved, { redirect: 'follow' });
    expect(await exited).toBe(0);
    expect(existsSync(sandbox.file('credentials.yaml'))).toBe(true);
  });

  it('a Cloud without OAuth (cli_config 404) gets the API-key login, said on stderr', async () => {
    cloud.oauth = false;
    const result = await login();
    expect(result).toExitWith(0);
    expect(result.stderr.split('\n')[0]).toBe('This Arcade Cloud has no OAuth login; logging in with an API key instead.');
    expect(result.stdout).toBe('Logged in as alice@example.com (API key arc_…9f8a).\n');
  });
});

describe('logging in without a browser', () => {
  it('--with-api-key reads the key from stdin, checks it with Arcade Cloud, and keeps it', async () => {
    const result = await sandbox.runWithInput(['login', '--with-api-key'], `${ALICE.apiKey}\n`);
    expect(result).toExitWith(0);
    expect(result.stdout).toBe('Logged in with API key arc_…9f8a.\n');
    expect(readFileSync(sandbox.file('credentials.yaml'), 'utf8')).toContain(`key: ${ALICE.apiKey}`);
    expect(await sandbox.run(['server', 'list'])).toExitWith(0);
    await posthog.waitForEvents(3);
    expect(posthog.events.map((event) => [event.event, event.distinct_id])).toEqual([
      ['$create_alias', ALICE.principalId],
      ['CLI execution succeeded', ALICE.principalId],
      ['CLI execution succeeded', ALICE.principalId],
    ]);
  });

  it('--with-api-key with a key Arcade refuses: exit 1, nothing saved; with no key: a usage error', async () => {
    const refused = await sandbox.runWithInput(['login', '--with-api-key'], 'arc_not_a_real_key_000000\n');
    expect(refused).toExitWith(1);
    expect(refused.stderr.split('\n')[0]).toMatch(
      /did not accept that API key \(or could not be reached\)\. Nothing was saved\.$/,
    );
    expect(existsSync(sandbox.file('credentials.yaml'))).toBe(false);
    const empty = await sandbox.runWithInput(['login', '--with-api-key'], '');
    expect(empty).toExitWith(2);
    expect(empty.stderr.split('\n')[0]).toBe('--with-api-key: stdin must hold one API key, on one line.');
  });
});

describe('ARCADE_API_KEY', () => {
  it('is used over the file: server list works, whoami and usage status say so, and events go out under its principal', async () => {
    sandbox.env.ARCADE_API_KEY = ALICE.apiKey;
    expect(existsSync(sandbox.file('credentials.yaml'))).toBe(false);
    expect(await sandbox.run(['server', 'list'])).toExitWith(0);
    // Its delivery looks the key's principal up and links (the command did not wait for it).
    await posthog.waitForEvents(2);
    await sandbox.waitForNoProcesses();
    const whoami = await sandbox.run(['whoami']);
    expect(whoami.stdout).toBe('Logged in with the API key in ARCADE_API_KEY (arc_…9f8a).\n');
    const status = await sandbox.run(['usage', 'status']);
    expect(status.stdout).toContain('Logged in with:  the API key in ARCADE_API_KEY (over credentials.yaml)');
    expect(status.stdout).toContain(`Distinct id:     ${ALICE.principalId} (linked to your Arcade account)`);
    await posthog.waitForEvents(4);
    await sandbox.waitForNoProcesses();
    const anonId = sandbox.anonId();
    expect(posthog.events.map((event) => [event.event, event.distinct_id])).toEqual([
      ['CLI execution succeeded', anonId],
      ['$create_alias', ALICE.principalId],
      ['CLI execution succeeded', ALICE.principalId],
      ['CLI execution succeeded', ALICE.principalId],
    ]);
    expect(posthog.events[1].properties.alias).toBe(anonId);
    // Looked up once for the key, not per command.
    expect(cloud.lookups).toEqual([ALICE.apiKey]);
    const logout = await sandbox.run(['logout']);
    expect(logout.stdout).toBe('Commands still use the API key in ARCADE_API_KEY: unset it to log out.\n');
  });
});
