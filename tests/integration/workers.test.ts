/** Issue "Worker commands": list, enable, disable, rm against a fake Engine and Cloud on loopback. */
import { describe, expect, it } from '@jest/globals';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakeArcadeEngine } from '../../src/stand-ins/fake-arcade-engine.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import type { Sandbox } from '../support/sandbox.js';
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
});

describe('worker list', () => {
  it('joins Engine workers (all pages) with Cloud deployments by name, with toolkits from every page', async () => {
    const result = await sandbox.run(['worker', 'list', '--json']);
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
  });

  it('prints a table that flags a mismatched endpoint with both values', async () => {
    const result = await sandbox.run(['worker', 'list']);
    expect(result).toExitWith(0);
    const w2 = result.stdout.split('\n').find((line) => line.startsWith('w2 '))!;
    expect(w2).toContain('http://w2.example:8002 != cloud http://w2-elsewhere.example:8002 (MISMATCH)');
    expect(result.stdout.split('\n').find((line) => line.startsWith('w1 '))).toContain('Github, Slack');
  });

  it('takes --engine-url and --cloud-url over the environment', async () => {
    const result = await sandbox.run(['worker', 'list', '--json', '--engine-url', engine.url, '--cloud-url', cloud.url], {
      ARCADE_ENGINE_URL: 'http://127.0.0.1:9',
      ARCADE_CLOUD_URL: 'http://127.0.0.1:9',
    });
    expect(result).toExitWith(0);
    expect(JSON.parse(result.stdout)).toHaveLength(4);
  });
});

describe('worker enable, disable and rm', () => {
  it('change the Engine and Cloud, and fail with "not found" for an unknown id', async () => {
    expect((await sandbox.run(['worker', 'disable', 'w1'])).stdout).toBe('Disabled worker w1.\n');
    expect(engine.workers.find((w) => w.id === 'w1')!.enabled).toBe(false);
    expect((await sandbox.run(['worker', 'enable', 'w3'])).stdout).toBe('Enabled worker w3.\n');
    expect(engine.workers.find((w) => w.id === 'w3')!.enabled).toBe(true);

    const rm = await sandbox.run(['worker', 'rm', 'w2']);
    expect(rm.stdout).toBe('Removed worker w2 (Cloud deployment deleted, Engine registration removed).\n');
    expect(engine.workers.map((w) => w.id)).toEqual(['w1', 'w3']);
    expect(cloud.deployments.map((d) => d.name)).toEqual(['w1', 'd4']);

    const deregister = await sandbox.run(['worker', 'rm', 'w1', '--deregister']);
    expect(deregister.stdout).toBe('Removed worker w1 (Engine registration removed).\n');
    expect(cloud.deployments.map((d) => d.name)).toEqual(['w1', 'd4']);

    for (const args of [
      ['worker', 'rm', 'ghost'],
      ['worker', 'enable', 'ghost'],
    ]) {
      const missing = await sandbox.run(args);
      expect(missing).toExitWith(1);
      expect(missing.stderr.split('\n')[0]).toBe('Worker "ghost" not found.');
    }
  });

  it('produce one tracked event each, with the dotted command name', async () => {
    await sandbox.run(['worker', 'list']);
    await sandbox.run(['worker', 'enable', 'w3']);
    await sandbox.run(['worker', 'disable', 'w3']);
    await sandbox.run(['worker', 'rm', 'ghost']);
    await posthog.waitForEvents(5);
    await sandbox.waitForNoProcesses();
    const commands = posthog.events
      .filter((event) => event.event !== '$create_alias')
      .map((event) => [event.event, event.properties.command_name, event.distinct_id]);
    expect(commands).toEqual([
      ['CLI execution succeeded', 'worker.list', ALICE.principalId],
      ['CLI execution succeeded', 'worker.enable', ALICE.principalId],
      ['CLI execution succeeded', 'worker.disable', ALICE.principalId],
      ['CLI execution failed', 'worker.rm', ALICE.principalId],
    ]);
  });
});

describe('worker command failures', () => {
  it('points at arcade login when not logged in', async () => {
    await sandbox.run(['logout']);
    const result = await sandbox.run(['worker', 'list']);
    expect(result).toExitWith(1);
    expect(result.stderr.split('\n')[0]).toBe('Not logged in. Run `arcade login` first.');
  });

  it('turns an unreachable Engine or a refused key into one line, exit 1, no stack', async () => {
    const down = await sandbox.run(['worker', 'list', '--engine-url', 'http://127.0.0.1:9']);
    expect(down).toExitWith(1);
    expect(down.stderr.split('\n')[0]).toBe('Cannot reach Arcade Engine at http://127.0.0.1:9 (ECONNREFUSED).');
    engine.apiKeys.clear();
    const refused = await sandbox.run(['worker', 'enable', 'w1']);
    expect(refused).toExitWith(1);
    expect(refused.stderr.split('\n')[0]).toBe(
      'Arcade Engine refused the saved API key (HTTP 401). Run `arcade logout` and `arcade login` again.',
    );
    for (const run of [down, refused]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('is a usage error (exit 2) without an id', async () => {
    const result = await sandbox.run(['worker', 'enable']);
    expect(result).toExitWith(2);
  });
});
