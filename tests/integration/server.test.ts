/** `arcade server` (alias `arcade worker`): list, enable, disable, rm and logs against a fake Engine and Cloud on loopback. */
import { describe, expect, it } from '@jest/globals';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import { FakeArcadeEngine } from '../../src/stand-ins/fake-arcade-engine.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import { CLI, freePort, type Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let engine: FakeArcadeEngine;
let sandbox: Sandbox;

useStandIns((world) => {
  ({ posthog, cloud, engine, sandbox } = world);
  engine.workers.push(
    {
      id: 'w1',
      enabled: true,
      uri: 'http://w1.example:8002',
      tools: ['Github.CreateIssue', 'Slack.SendMessage', 'Github.ListRepos'],
    },
    { id: 'w2', enabled: true, uri: 'http://w2.example:8002', tools: [] },
    { id: 'w3', enabled: false, uri: 'http://w3.example:8002', tools: ['Gmail.Send'] },
  );
  cloud.deployments.push(
    { name: 'w2', endpoint: 'http://w2-elsewhere.example:8002' },
    { name: 'w1', endpoint: 'http://w1.example:8002' },
    { name: 'd4', endpoint: 'http://d4.example:8002' },
  );
  sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
  // These tests are about the server commands; the two about their events turn tracking back on.
  sandbox.env.ARCADE_USAGE_TRACKING = '0';
});

/** For a test about the events server commands send. */
function tracked(): void {
  delete sandbox.env.ARCADE_USAGE_TRACKING;
}

describe('server list', () => {
  it('joins Engine workers (all pages) with Cloud deployments by name, with toolkits from every page', async () => {
    const result = await sandbox.run(['server', 'list', '--json']);
    expect(result).toExitWith(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        id: 'w1',
        cloudDeployed: true,
        engineRegistered: true,
        enabled: true,
        endpoint: 'http://w1.example:8002',
        cloudEndpoint: 'http://w1.example:8002',
        endpointMismatch: false,
        toolkits: ['Github', 'Slack'],
      },
      {
        id: 'w2',
        cloudDeployed: true,
        engineRegistered: true,
        enabled: true,
        endpoint: 'http://w2.example:8002',
        cloudEndpoint: 'http://w2-elsewhere.example:8002',
        endpointMismatch: true,
        toolkits: [],
      },
      {
        id: 'w3',
        cloudDeployed: false,
        engineRegistered: true,
        enabled: false,
        endpoint: 'http://w3.example:8002',
        cloudEndpoint: null,
        endpointMismatch: false,
        toolkits: ['Gmail'],
      },
      {
        id: 'd4',
        cloudDeployed: true,
        engineRegistered: false,
        enabled: false,
        endpoint: 'http://d4.example:8002',
        cloudEndpoint: 'http://d4.example:8002',
        endpointMismatch: false,
        toolkits: [],
      },
    ]);
    // Two pages of workers, two pages of w1's tools.
    expect(engine.requests.filter((request) => request.startsWith('GET /v1/workers?'))).toHaveLength(2);
    expect(engine.requests.filter((request) => request.startsWith('GET /v1/workers/w1/tools?'))).toHaveLength(2);
    // The old group name is an alias: the same output.
    const alias = await sandbox.run(['worker', 'list', '--json']);
    expect(alias.stdout).toBe(result.stdout);
  });

  it('fetches the toolkits of many servers at once (40 servers, an Engine answering in 50 ms)', async () => {
    for (let i = 0; i < 40; i++) engine.workers.push({ id: `many-${i}`, enabled: true, uri: null, tools: ['A.x', 'B.y', 'C.z'] });
    engine.delayMs = 50;
    engine.pageSize = 100;
    const result = await sandbox.run(['server', 'list', '--json']);
    expect(result).toExitWith(0);
    expect(JSON.parse(result.stdout)).toHaveLength(44);
    expect(engine.peakToolsInFlight).toBeGreaterThanOrEqual(4);
  });

  it('prints tab-separated rows to a pipe, flagging a mismatched endpoint with both values', async () => {
    const result = await sandbox.run(['server', 'list']);
    expect(result).toExitWith(0);
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.find((cells) => cells[0] === 'w2')![4]).toBe(
      'MISMATCH: http://w2.example:8002 != cloud http://w2-elsewhere.example:8002',
    );
    expect(rows.find((cells) => cells[0] === 'w1')![5]).toBe('Github, Slack');
  });

  it('fits a terminal of 80 columns, every row on one line', async () => {
    // A real terminal (a pty, by util-linux `script`) 80 columns wide. stderr goes elsewhere: on a
    // loaded machine the wait's spinner shows there, and the pty would merge it into the table.
    const command = [process.execPath, CLI, 'server', 'list'].map((word) => `'${word}'`).join(' ');
    const result = await sandbox.runCommand('script', ['-qec', `stty cols 80 rows 40; ${command} 2>/dev/null`, '/dev/null']);
    expect(result).toExitWith(0);
    const lines = result.stdout.replaceAll('\r', '').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+ENABLED\s+ENGINE\s+CLOUD\s+ENDPOINT\s+TOOLKITS$/);
    expect(lines.find((line) => line.startsWith('w2 '))).toContain('MISMATCH');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('takes --engine-url and --cloud-url over the environment', async () => {
    const result = await sandbox.run(['server', 'list', '--json', '--engine-url', engine.url, '--cloud-url', cloud.url], {
      ARCADE_ENGINE_URL: `http://127.0.0.1:${await freePort()}`,
      ARCADE_CLOUD_URL: `http://127.0.0.1:${await freePort()}`,
    });
    expect(result).toExitWith(0);
    expect(JSON.parse(result.stdout)).toHaveLength(4);
  });

  it('never shows a wrong URL as an empty account: a 404 or the wrong shape is an error naming the setting', async () => {
    const engine404 = await sandbox.run(['server', 'list', '--engine-url', `${engine.url}/nope`]);
    expect(engine404).toExitWith(1);
    expect(engine404.stderr.split('\n')[0]).toBe(
      `Arcade Engine at ${engine.url}/nope has no GET /v1/workers (HTTP 404). Check --engine-url.`,
    );
    const cloud404 = await sandbox.run(['server', 'list'], { ARCADE_CLOUD_URL: `${cloud.url}/nope` });
    expect(cloud404).toExitWith(1);
    expect(cloud404.stderr.split('\n')[0]).toBe(
      `Arcade Cloud at ${cloud.url}/nope has no GET /api/v1/workers (HTTP 404). Check ARCADE_CLOUD_URL.`,
    );
    // The Cloud's validate endpoint answers JSON of another shape: not a list of deployments.
    const wrongShape = await sandbox.run(['server', 'list', '--engine-url', `${cloud.url}/api/v1/auth/validate#`]);
    expect(wrongShape).toExitWith(1);
    for (const run of [engine404, cloud404, wrongShape]) expect(run.stderr).not.toContain('Internal error');
  });

  it('takes a malformed URL as a usage error (exit 2) naming the flag or the variable', async () => {
    const flag = await sandbox.run(['server', 'list', '--engine-url', 'notaurl']);
    expect(flag).toExitWith(2);
    expect(flag.stderr.split('\n')[0]).toBe('--engine-url is not an http(s) URL: "notaurl".');
    const variable = await sandbox.run(['server', 'enable', 'w1'], { ARCADE_ENGINE_URL: 'ftp://x' });
    expect(variable).toExitWith(2);
    expect(variable.stderr.split('\n')[0]).toBe('ARCADE_ENGINE_URL is not an http(s) URL: "ftp://x".');
  });
});

describe('server enable, disable and rm', () => {
  it('change the Engine and Cloud, and fail with "not found" for an unknown id', async () => {
    expect((await sandbox.run(['server', 'disable', 'w1'])).stdout).toBe('Disabled server w1.\n');
    expect(engine.workers.find((w) => w.id === 'w1')!.enabled).toBe(false);
    expect(JSON.parse((await sandbox.run(['worker', 'enable', 'w3', '--json'])).stdout)).toEqual({ id: 'w3', enabled: true });
    expect(engine.workers.find((w) => w.id === 'w3')!.enabled).toBe(true);

    const rm = await sandbox.run(['server', 'rm', 'w2', '--yes']);
    expect(rm.stdout).toBe('Removed server w2 (Cloud deployment deleted, Engine registration removed).\n');
    expect(engine.workers.map((w) => w.id)).toEqual(['w1', 'w3']);
    expect(cloud.deployments.map((d) => d.name)).toEqual(['w1', 'd4']);

    const deregister = await sandbox.run(['server', 'rm', 'w1', '-d', '-y', '--json']);
    expect(JSON.parse(deregister.stdout)).toEqual({ id: 'w1', cloudDeploymentDeleted: false, engineDeregistered: true });
    expect(cloud.deployments.map((d) => d.name)).toEqual(['w1', 'd4']);

    for (const args of [
      ['server', 'rm', 'ghost', '--deregister', '--yes'],
      ['server', 'enable', 'ghost'],
    ]) {
      const missing = await sandbox.run(args);
      expect(missing).toExitWith(1);
      expect(missing.stderr.split('\n')[0]).toBe('Server "ghost" not found.');
    }
  });

  it('rm with no Cloud deployment touches nothing, as the Python CLI does; --deregister removes the registration', async () => {
    const rm = await sandbox.run(['server', 'rm', 'w3', '--yes']);
    expect(rm).toExitWith(1);
    expect(rm.stderr.split('\n')[0]).toBe(
      'Deployment not found. To deregister the worker from the engine, use the --deregister flag.',
    );
    expect(engine.workers.map((w) => w.id)).toContain('w3');
    expect(engine.requests.filter((request) => request.startsWith('DELETE'))).toEqual([]);
    // stdin is not a terminal here: arcade cannot ask, so it refuses without --yes (as gh does), deleting nothing.
    for (const refused of [
      await sandbox.run(['server', 'rm', 'w3', '--deregister']),
      await sandbox.runWithInput(['server', 'rm', 'w3', '--deregister'], 'n\n'),
    ]) {
      expect(refused).toExitWith(2);
      expect(refused.stderr).toBe(
        'Not removing server w3: arcade cannot ask for confirmation (stdin is not a terminal). Run it again with --yes to remove it.\n',
      );
    }
    expect(engine.requests.filter((request) => request.startsWith('DELETE'))).toEqual([]);
    expect(await sandbox.run(['server', 'rm', 'w3', '--deregister', '--yes'])).toExitWith(0);
    expect(engine.workers.map((w) => w.id)).not.toContain('w3');
  });

  it('produce one tracked event each, named by the canonical server path whichever spelling was typed', async () => {
    tracked();
    await sandbox.run(['server', 'list']);
    await sandbox.run(['worker', 'list']);
    await sandbox.run(['worker', 'enable', 'w3']);
    await sandbox.run(['server', 'disable', 'w3']);
    await sandbox.run(['worker', 'rm', 'ghost', '-d', '--yes']);
    await posthog.waitForEvents(6);
    await sandbox.waitForNoProcesses();
    // Alice's: under her principal, or (before the background delivery linked it) the id aliased to it.
    const alias = posthog.events.find((event) => event.event === '$create_alias');
    expect(alias?.distinct_id).toBe(ALICE.principalId);
    const alices = new Set([ALICE.principalId, alias?.properties.alias]);
    const commands = posthog.events
      .filter((event) => event.event !== '$create_alias')
      .map((event) => [event.event, event.properties.command_name, alices.has(event.distinct_id)]);
    expect(commands).toEqual([
      ['CLI execution succeeded', 'server.list', true],
      ['CLI execution succeeded', 'server.list', true],
      ['CLI execution succeeded', 'server.enable', true],
      ['CLI execution succeeded', 'server.disable', true],
      ['CLI execution failed', 'server.rm', true],
    ]);
  });
});

describe('server logs', () => {
  const LINES = Array.from({ length: 20 }, (_, i) => `line ${i + 1}: worker w1 says hello`);

  /** Runs `server logs` and notes whether the first line arrived while the stream was still going. */
  async function logs(
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string; firstWhileRunning: boolean }> {
    const child = sandbox.spawn(['server', 'logs', ...args]);
    let stdout = '';
    let stderr = '';
    let firstWhileRunning = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (stdout === '') firstWhileRunning = child.exitCode === null && !stdout.includes(LINES.at(-1)!);
      stdout += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code, stdout, stderr, firstWhileRunning };
  }

  it('prints each line as it arrives, in order, and exits 0 at [DONE]', async () => {
    cloud.logStreams.set('w1', { lines: LINES, intervalMs: 30 });
    const run = await logs(['w1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(LINES.map((line) => `${line}\n`).join(''));
    expect(run.firstWhileRunning).toBe(true);
    expect(cloud.logRequests).toEqual([null]);
  });

  it('resumes a stream dropped halfway with Last-Event-ID, printing each line exactly once', async () => {
    cloud.logStreams.set('w1', { lines: LINES, dropAfter: 10 });
    const run = await logs(['w1', '--json']);
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(LINES.map((data, i) => ({ id: String(i), data })));
    expect(cloud.logRequests).toEqual([null, '9']);
    expect(run.stderr).toContain('reconnecting (1 of 3)');
  });

  it('exits 1 on `event: error`, and on an unknown id', async () => {
    cloud.logStreams.set('w1', { lines: LINES.slice(0, 2), error: 'the worker crashed' });
    const failed = await logs(['w1']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(`${LINES[0]}\n${LINES[1]}\n`);
    expect(failed.stderr.split('\n')[0]).toBe('The log stream of w1 reported an error: the worker crashed');
    const unknown = await logs(['ghost']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.split('\n')[0]).toBe('Server "ghost" not found.');
  });

  it('stops at once on Ctrl-C: exit 130, recorded as an interrupted server.logs', async () => {
    tracked();
    cloud.logStreams.set('w1', { lines: LINES, intervalMs: 1000 });
    const child = sandbox.spawn(['server', 'logs', 'w1']);
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(130);
    const failed = await pollUntil(
      () => posthog.events.find((event) => event.event === 'CLI execution failed'),
      15_000,
      'the interrupted run',
    );
    expect([failed.properties.command_name, failed.properties.error_code]).toEqual(['server.logs', 'interrupted']);
  });
});

describe('server command failures', () => {
  it('points at arcade login when not logged in', async () => {
    await sandbox.run(['logout']);
    const result = await sandbox.run(['server', 'list']);
    expect(result).toExitWith(1);
    expect(result.stderr.split('\n')[0]).toBe('Not logged in. Run `arcade login` first.');
  });

  it('turns an unreachable Engine or a refused key into one line, exit 1, no stack', async () => {
    const closed = await freePort();
    const down = await sandbox.run(['server', 'list', '--engine-url', `http://127.0.0.1:${closed}`]);
    expect(down).toExitWith(1);
    expect(down.stderr.split('\n')[0]).toBe(
      `Cannot reach Arcade Engine at http://127.0.0.1:${closed} (ECONNREFUSED). Check --engine-url.`,
    );
    engine.apiKeys.clear();
    const refused = await sandbox.run(['server', 'enable', 'w1']);
    expect(refused).toExitWith(1);
    expect(refused.stderr.split('\n')[0]).toBe(
      'Arcade Engine refused your login (HTTP 401): the API key or token is not valid there. Run `arcade login` again.',
    );
    for (const run of [down, refused]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('tries a read once more after a passing failure, never a write, and says the status when it persists', async () => {
    engine.unavailableFor = 1;
    expect(await sandbox.run(['server', 'list'])).toExitWith(0);
    expect(engine.requests.slice(0, 2)).toEqual(['GET /v1/workers?offset=0&limit=100', 'GET /v1/workers?offset=0&limit=100']);
    engine.requests.length = 0;
    engine.unavailableFor = 2;
    const persists = await sandbox.run(['server', 'list']);
    expect(persists).toExitWith(1);
    expect(persists.stderr.split('\n')[0]).toBe('Arcade Engine answered HTTP 503 to GET /v1/workers.');
    expect(engine.requests).toHaveLength(2);
    engine.requests.length = 0;
    engine.unavailableFor = 1;
    const write = await sandbox.run(['server', 'disable', 'w1']);
    expect(write).toExitWith(1);
    expect(engine.requests).toEqual(['PATCH /v1/workers/w1']);
    expect(engine.workers.find((worker) => worker.id === 'w1')?.enabled).toBe(true);
  });

  it('ends normally when the reader of its output goes away (`| head -1`): exit 0, no stack, still recorded', async () => {
    tracked();
    cloud.logStreams.set('w1', { lines: Array.from({ length: 10_000 }, (_, i) => `line ${i}`), intervalMs: 1 });
    for (const args of [
      ['server', 'list'],
      ['server', 'logs', 'w1'],
    ]) {
      const child = sandbox.spawn(args);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
      // Like `head -1`: read the first chunk, then close the pipe.
      child.stdout!.once('data', () => child.stdout!.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect([args.join(' '), code, /EPIPE|Error|\n\s+at /.test(stderr)]).toEqual([args.join(' '), 0, false]);
    }
    await posthog.waitForEvents(3);
    await sandbox.waitForNoProcesses();
    const commands = posthog.events.filter((event) => event.event !== '$create_alias');
    expect(commands.map((event) => [event.event, event.properties.command_name])).toEqual([
      ['CLI execution succeeded', 'server.list'],
      ['CLI execution succeeded', 'server.logs'],
    ]);
  });

  it('follows no redirect: a list or a change answered with one fails naming the setting, and changes nothing elsewhere', async () => {
    const elsewhere = await FakeArcadeEngine.start();
    try {
      elsewhere.apiKeys.add(ALICE.apiKey);
      engine.redirect = { status: 302, location: `${elsewhere.url}/v1/workers` };
      const list = await sandbox.run(['server', 'list']);
      expect(list).toExitWith(1);
      expect(list.stderr.split('\n')[0]).toBe(
        `Arcade Engine at ${engine.url} answered GET /v1/workers with a redirect (HTTP 302), which arcade does not follow. Check ARCADE_ENGINE_URL.`,
      );
      engine.redirect = { status: 307, location: `${elsewhere.url}/v1/workers/w1` };
      const enable = await sandbox.run(['server', 'disable', 'w1']);
      expect(enable).toExitWith(1);
      expect(enable.stderr.split('\n')[0]).toContain('with a redirect (HTTP 307)');
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('is a usage error (exit 2) without an id', async () => {
    for (const spelling of ['server', 'worker']) expect(await sandbox.run([spelling, 'enable'])).toExitWith(2);
  });
});
