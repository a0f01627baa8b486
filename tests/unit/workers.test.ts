import { describe, expect, it } from '@jest/globals';
import { joinWorkers } from '../../src/domain/worker.js';
import { table } from '../../src/cli/commands/worker-commands.js';
import { ALICE, memoryApp } from '../support/memory-app.js';

describe('joinWorkers', () => {
  const workers = [
    { id: 'w1', enabled: true, endpoint: 'http://w1.example' },
    { id: 'w2', enabled: false, endpoint: 'http://w2.example' },
    { id: 'w3', enabled: true, endpoint: null },
  ];
  // w2's deployment comes first: matching must be by name, not by position.
  const deployments = [
    { name: 'w2', endpoint: 'http://w2-other.example' },
    { name: 'w1', endpoint: 'http://w1.example/' },
    { name: 'd4', endpoint: 'http://d4.example' },
  ];

  it('matches deployments by name, flags real mismatches only, and lists Cloud-only deployments last', () => {
    const rows = joinWorkers(workers, new Map([['w1', ['Github', 'Slack']]]), deployments);
    expect(rows).toEqual([
      {
        id: 'w1',
        cloudDeployed: true,
        engineRegistered: true,
        enabled: true,
        endpoint: 'http://w1.example',
        cloudEndpoint: 'http://w1.example/',
        endpointMismatch: false,
        toolkits: ['Github', 'Slack'],
      },
      {
        id: 'w2',
        cloudDeployed: true,
        engineRegistered: true,
        enabled: false,
        endpoint: 'http://w2.example',
        cloudEndpoint: 'http://w2-other.example',
        endpointMismatch: true,
        toolkits: [],
      },
      {
        id: 'w3',
        cloudDeployed: false,
        engineRegistered: true,
        enabled: true,
        endpoint: null,
        cloudEndpoint: null,
        endpointMismatch: false,
        toolkits: [],
      },
      {
        id: 'd4',
        cloudDeployed: true,
        engineRegistered: false,
        enabled: false,
        endpoint: 'http://d4.example',
        cloudEndpoint: 'http://d4.example',
        endpointMismatch: false,
        toolkits: [],
      },
    ]);
  });

  it('shows both endpoints of a mismatch in the table', () => {
    const text = table(joinWorkers(workers, new Map(), deployments));
    expect(text.split('\n')[0]).toMatch(/^ID\s+ENABLED\s+ENGINE\s+CLOUD\s+ENDPOINT\s+TOOLKITS$/);
    expect(text).toContain('http://w2.example != cloud http://w2-other.example (MISMATCH)');
    expect(text).not.toContain('http://w1.example != cloud');
  });
});

describe('worker use cases', () => {
  it('need a login', async () => {
    const { app } = memoryApp();
    await expect(app.listWorkers.execute()).rejects.toThrow('Not logged in. Run `arcade login` first.');
    await expect(app.setWorkerEnabled.execute('w1', true)).rejects.toMatchObject({ code: 'not-logged-in' });
    await expect(app.removeWorker.execute('w1', { deregisterOnly: false })).rejects.toMatchObject({ code: 'not-logged-in' });
  });

  it('list joins, with distinct toolkits in order, passing the key and URL overrides on', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    world.engine.workers = [{ id: 'w1', enabled: true, endpoint: 'http://w1' }];
    world.engine.toolkits.set('w1', ['Github', 'Slack', 'Github']);
    world.cloud.deployments = [{ name: 'w1', endpoint: 'http://w1' }];
    const rows = await app.listWorkers.execute({ engineUrl: 'http://engine.override' });
    expect(rows.map((row) => [row.id, row.toolkits])).toEqual([['w1', ['Github', 'Slack']]]);
    expect(world.engine.calls[0]).toEqual({ apiKey: ALICE.apiKey, baseUrl: 'http://engine.override' });
  });

  it('enable, disable and rm change the state; an unknown id is "not found"', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    world.engine.workers = [
      { id: 'w1', enabled: true, endpoint: null },
      { id: 'w2', enabled: true, endpoint: null },
    ];
    world.cloud.deployments = [
      { name: 'w1', endpoint: null },
      { name: 'w2', endpoint: null },
    ];
    await app.setWorkerEnabled.execute('w1', false);
    expect(world.engine.workers[0].enabled).toBe(false);
    await expect(app.setWorkerEnabled.execute('nope', true)).rejects.toThrow('Worker "nope" not found.');
    expect(await app.removeWorker.execute('w1', { deregisterOnly: false })).toEqual({
      cloudDeploymentDeleted: true,
      engineDeregistered: true,
    });
    expect(await app.removeWorker.execute('w2', { deregisterOnly: true })).toEqual({
      cloudDeploymentDeleted: false,
      engineDeregistered: true,
    });
    expect(world.cloud.deployments.map((d) => d.name)).toEqual(['w2']);
    expect(world.engine.workers).toEqual([]);
    await expect(app.removeWorker.execute('nope', { deregisterOnly: false })).rejects.toMatchObject({ code: 'not-found' });
  });
});
