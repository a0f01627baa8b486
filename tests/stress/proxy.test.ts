/**
 * Behind a proxy, with a company's CA: the built CLI through a real HTTP proxy on loopback. The
 * stand-ins are named `*.invalid`, which only the proxy resolves, so a request that bypassed it
 * would fail; `NO_PROXY` makes the CLI bypass it; a proxy that is down or refuses keeps every event.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakeArcadeEngine } from '../../src/stand-ins/fake-arcade-engine.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { onlyThroughProxy, TestProxy } from '../support/http-proxy.js';
import { freePort, type Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';
import { makeCa, TlsFront } from '../support/tls-front.js';

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let engine: FakeArcadeEngine;
let sandbox: Sandbox;
let proxy: TestProxy;

useStandIns((world) => {
  ({ posthog, cloud, engine, sandbox } = world);
  engine.workers.push({ id: 'w1', enabled: true, uri: 'http://w1.example:8002', tools: ['Github.CreateIssue'] });
});

const opened: { close(): Promise<void> }[] = [];
beforeEach(async () => {
  proxy = await TestProxy.start();
  opened.push(proxy);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

/** Points the sandbox at the stand-ins by names only the proxy resolves, and at the proxy. */
function behindProxy(proxyUrl = proxy.url): void {
  Object.assign(sandbox.env, {
    ARCADE_POSTHOG_HOST: onlyThroughProxy(posthog.url, 'posthog'),
    ARCADE_CLOUD_URL: onlyThroughProxy(cloud.url, 'cloud'),
    ARCADE_ENGINE_URL: onlyThroughProxy(engine.url, 'engine'),
    HTTP_PROXY: proxyUrl,
  });
}

describe('through an HTTP proxy', () => {
  it('logs in, looks the principal up, lists servers and delivers every event once, all through it', async () => {
    behindProxy();
    const login = await sandbox.run(['login']);
    expect(login).toExitWith(0);
    expect(await sandbox.run(['whoami'])).toExitWith(0);
    const list = await sandbox.run(['server', 'list', '--json']);
    expect(list).toExitWith(0);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((server) => server.id)).toEqual(['w1']);

    // The alias, then login, whoami and server list: each exactly once.
    const events = await posthog.waitForEvents(4);
    await sandbox.waitForNoProcesses();
    expect(posthog.events.map((event) => event.event).sort()).toEqual([
      '$create_alias',
      'CLI execution succeeded',
      'CLI execution succeeded',
      'CLI execution succeeded',
    ]);
    expect(new Set(events.map((event) => event.uuid)).size).toBe(posthog.events.length);
    expect(posthog.events.filter((event) => event.event !== '$create_alias').map((e) => e.distinct_id)).toEqual([
      ALICE.principalId,
      ALICE.principalId,
      ALICE.principalId,
    ]);
    // Every service was reached by a tunnel through the proxy.
    const tunnels = new Set(proxy.requests.filter((r) => r.method === 'CONNECT').map((r) => r.target.split(':')[0]));
    expect(tunnels).toEqual(new Set(['posthog.invalid', 'cloud.invalid', 'engine.invalid']));
    expect(cloud.lookups.length).toBeGreaterThanOrEqual(1);

    // Without the proxy, those names lead nowhere: the requests above could only have gone through it.
    delete sandbox.env.HTTP_PROXY;
    const direct = await sandbox.run(['server', 'list'], { ARCADE_USAGE_TRACKING: '0' });
    expect(direct).toExitWith(1);
    // (The Engine and Cloud are asked at once: whichever fails first is the one named.)
    expect(direct.stderr).toMatch(
      /^Cannot reach Arcade (Engine|Cloud) at http:\/\/(engine|cloud)\.invalid:\d+ \((ENOTFOUND|EAI_AGAIN)\)\. Check ARCADE_(ENGINE|CLOUD)_URL\.\n$/,
    );
  });

  it('is bypassed for the hosts NO_PROXY names: the proxy sees nothing', async () => {
    sandbox.env.HTTP_PROXY = proxy.url;
    sandbox.env.NO_PROXY = 'example.com,127.0.0.1';
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    expect(await sandbox.run(['whoami'])).toExitWith(0);
    expect(await sandbox.run(['server', 'list'])).toExitWith(0);
    await posthog.waitForEvents(3);
    await sandbox.waitForNoProcesses();
    expect(proxy.requests).toEqual([]);
  });

  it('sends its user and password as Basic proxy authorization, and never shows the password', async () => {
    const guarded = await TestProxy.start({ credentials: 'corp-user:s3cret/p@ss' });
    opened.push(guarded);
    const withCredentials = new URL(guarded.url);
    withCredentials.username = 'corp-user';
    withCredentials.password = encodeURIComponent('s3cret/p@ss');
    behindProxy(withCredentials.href);
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    const list = await sandbox.run(['server', 'list']);
    expect(list).toExitWith(0);
    const status = await sandbox.run(['usage', 'status']);
    expect(status.stdout).toContain(`Sent through:    the proxy ${guarded.url} (HTTP_PROXY)`);
    await posthog.waitForEvents(3); // alias, server list, usage status
    expect(guarded.requests.length).toBeGreaterThanOrEqual(3);
    for (const request of guarded.requests) expect(request.credentials).toBe('corp-user:s3cret/p@ss');

    // A wrong password: refused by the proxy, said in one line naming it, the password nowhere.
    const wrong = new URL(guarded.url);
    wrong.username = 'corp-user';
    wrong.password = 'wrong-secret';
    sandbox.env.HTTP_PROXY = wrong.href;
    const refused = await sandbox.run(['server', 'list']);
    expect(refused).toExitWith(1);
    expect(refused.stderr).toBe(
      `Cannot reach Arcade Engine at ${onlyThroughProxy(engine.url, 'engine')} through the proxy ${guarded.url} (the proxy refused its credentials, HTTP 407). Check HTTP_PROXY.\n`,
    );
    const statusJson = await sandbox.run(['usage', 'status', '--json']);
    // Delivery through the proxy refused too: the events wait until the password is right again.
    sandbox.env.HTTP_PROXY = withCredentials.href;
    await sandbox.waitForNoProcesses();
    expect(await sandbox.run(['usage', 'flush'])).toExitWith(0);
    await posthog.waitForEvents(6); // ... and the refused server list, usage status --json, usage flush
    await sandbox.waitForNoProcesses();
    const failed = posthog.events.filter((event) => event.event === 'CLI execution failed');
    expect(failed.map((event) => event.properties.error_message)).toEqual([
      'Cannot reach Arcade Engine at <url> through the proxy <url> (the proxy refused its credentials, HTTP 407). Check HTTP_PROXY.',
    ]);
    const shown = [list, status, refused, statusJson].map((run) => run.stdout + run.stderr).join('');
    for (const secret of ['s3cret', 'wrong-secret', encodeURIComponent('s3cret/p@ss')]) {
      expect(shown).not.toContain(secret);
      expect(JSON.stringify(posthog.events)).not.toContain(secret);
    }
  });

  it('down: one line naming the proxy, and every event kept until it is back, then delivered once', async () => {
    const port = await freePort();
    behindProxy(`http://127.0.0.1:${port}`);
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    const down = await sandbox.run(['server', 'list']);
    expect(down).toExitWith(1);
    expect(down.stderr.split('\n')[0]).toBe(
      `Cannot reach Arcade Engine at ${onlyThroughProxy(engine.url, 'engine')} through the proxy http://127.0.0.1:${port} (ECONNREFUSED). Check HTTP_PROXY.`,
    );
    expect(await sandbox.run(['whoami'])).toExitWith(0);
    await sandbox.waitForNoProcesses();
    expect(posthog.events).toEqual([]);
    expect(await sandbox.usageStatus()).toMatchObject({ pendingEvents: 2, droppedEvents: 0 });

    const back = await TestProxy.start({ port });
    opened.push(back);
    const flush = await sandbox.run(['usage', 'flush']);
    expect(flush).toExitWith(0);
    // The three runs' events (and the alias the lookup, now through the proxy, can make): each once.
    await posthog.waitForEvents(3);
    await sandbox.waitForNoProcesses();
    const names = posthog.events.filter((event) => event.event !== '$create_alias').map((event) => event.properties.command_name);
    expect(names.sort()).toEqual(['server.list', 'usage.flush', 'whoami']);
    expect(new Set(posthog.events.map((event) => event.uuid)).size).toBe(posthog.events.length);
    expect(await sandbox.usageStatus()).toMatchObject({ pendingEvents: 0 });
  });

  it('a proxy variable that is not a URL is one line naming the variable, never its value', async () => {
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    sandbox.env.HTTP_PROXY = 'socks5://user:hunter2@127.0.0.1:1080';
    const run = await sandbox.run(['server', 'list']);
    expect(run).toExitWith(1);
    expect(run.stderr.split('\n')[0]).toBe('HTTP_PROXY is not an http(s) proxy URL, such as http://proxy.example.com:3128.');
    const status = await sandbox.run(['usage', 'status']);
    expect(status.stdout).toContain('Sent through:    nothing: HTTP_PROXY is not an http(s) proxy URL');
    expect(status.stdout + status.stderr + run.stdout).not.toContain('hunter2');
  });
});

describe('a company CA (NODE_EXTRA_CA_CERTS)', () => {
  it('is trusted for https through a CONNECT tunnel and directly; without it, the error says what to set', async () => {
    const ca = await makeCa(sandbox.root);
    const names = ['engine.invalid', 'posthog.invalid'];
    const [engineTls, posthogTls] = await Promise.all([
      TlsFront.start(ca, names, engine.url),
      TlsFront.start(ca, names, posthog.url),
    ]);
    opened.push(engineTls, posthogTls);
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    Object.assign(sandbox.env, {
      HTTPS_PROXY: proxy.url,
      ARCADE_ENGINE_URL: `https://engine.invalid:${engineTls.port}`,
      ARCADE_POSTHOG_HOST: `https://posthog.invalid:${posthogTls.port}`,
      ARCADE_CLOUD_URL: cloud.url,
      NO_PROXY: '127.0.0.1',
      NODE_EXTRA_CA_CERTS: ca.certFile,
    });
    const list = await sandbox.run(['server', 'list', '--json']);
    expect(list).toExitWith(0);
    expect(list.stdout).toContain('"w1"');
    // Delivered over TLS through the tunnel, by the background process (it inherits the variable).
    await posthog.waitForEvents(2);
    expect(proxy.targets()).toEqual(
      expect.arrayContaining([`engine.invalid:${engineTls.port}`, `posthog.invalid:${posthogTls.port}`]),
    );
    // Directly, no proxy: the same CA.
    const direct = await sandbox.run(['server', 'list'], {
      HTTPS_PROXY: '',
      ARCADE_ENGINE_URL: `https://127.0.0.1:${engineTls.port}`,
      ARCADE_USAGE_TRACKING: '0',
    });
    expect(direct).toExitWith(0);

    const untrusted = await sandbox.run(['server', 'list'], { NODE_EXTRA_CA_CERTS: '', ARCADE_USAGE_TRACKING: '0' });
    expect(untrusted).toExitWith(1);
    expect(untrusted.stderr).toMatch(
      /^Cannot reach Arcade Engine at https:\/\/engine\.invalid:\d+ through the proxy http:\/\/127\.0\.0\.1:\d+ \([A-Z_]+: its TLS certificate is not trusted\)\. If a proxy or firewall inspects TLS, set NODE_EXTRA_CA_CERTS to its CA certificate\.\n$/,
    );
  });
});
