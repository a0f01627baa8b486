import { describe, expect, it } from '@jest/globals';
import { joinWorkers } from '../../src/domain/worker.js';
import { table } from '../../src/cli/commands/server-list-command.js';
import { renderTable } from '../../src/cli/table.js';
import { mapBounded, TOOLKIT_FETCHES_AT_ONCE } from '../../src/application/list-workers.js';
import { LOG_RECONNECTS, LOG_RECONNECTS_TOTAL } from '../../src/application/stream-worker-logs.js';
import type { MemoryLogConnection } from '../../src/adapters/memory/memory-worker-log-stream.js';
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

  it('shows both endpoints of a mismatch in the table, which fits the terminal, cutting free text with …', () => {
    const rows = joinWorkers(workers, new Map([['w1', ['Github', 'Slack', 'Gmail', 'Linear', 'Notion', 'Jira']]]), deployments);
    const wide = table(rows, 200);
    expect(wide.split('\n')[0]).toMatch(/^ID\s+ENABLED\s+ENGINE\s+CLOUD\s+ENDPOINT\s+TOOLKITS$/);
    expect(wide).toContain('MISMATCH: http://w2.example != cloud http://w2-other.example');
    expect(wide).not.toContain('http://w1.example != cloud');
    for (const columns of [80, 60]) {
      const narrow = table(rows, columns).trimEnd().split('\n');
      expect(Math.max(...narrow.map((line) => line.length))).toBeLessThanOrEqual(columns);
      expect(narrow.find((line) => line.startsWith('w2 '))).toMatch(columns === 80 ? /MISMATCH: http:.*…/ : /MISMATCH/);
    }
  });

  it('prints tab-separated rows, no header, to a pipe (nothing at all for no servers)', () => {
    const piped = table(joinWorkers(workers, new Map(), deployments), null).split('\n');
    expect(piped[0].split('\t')).toEqual(['w1', 'yes', 'registered', 'deployed', 'http://w1.example', '-']);
    expect(piped.find((line) => line.startsWith('w2\t'))!.split('\t')[4]).toBe(
      'MISMATCH: http://w2.example != cloud http://w2-other.example',
    );
    expect(table([], null)).toBe('');
    expect(table([], 80)).toBe('No servers.\n');
  });
});

const TARGETS = {
  engine: { url: 'http://engine.override', setting: '--engine-url' },
  cloud: { url: 'http://cloud.example', setting: 'ARCADE_CLOUD_URL' },
};
const yes = () => Promise.resolve(true);

describe('server use cases', () => {
  it('need a login', async () => {
    const { app } = memoryApp();
    await expect(app.listWorkers.execute(TARGETS)).rejects.toThrow('Not logged in. Run `arcade login` first.');
    await expect(app.setWorkerEnabled.execute('w1', true, TARGETS.engine)).rejects.toMatchObject({ code: 'not-logged-in' });
    await expect(app.removeWorker.execute('w1', { deregisterOnly: false, targets: TARGETS, confirm: yes })).rejects.toMatchObject(
      {
        code: 'not-logged-in',
      },
    );
    await expect(
      app.streamWorkerLogs.execute('w1', { cloud: TARGETS.cloud, print: () => undefined, notice: () => undefined }),
    ).rejects.toMatchObject({
      code: 'not-logged-in',
    });
  });

  it('list joins, with distinct toolkits in order, passing the key and URL targets on', async () => {
    const memory = memoryApp();
    const { world, app } = memory;
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    world.engine.workers = [{ id: 'w1', enabled: true, endpoint: 'http://w1' }];
    world.engine.toolkits.set('w1', ['Github', 'Slack', 'Github']);
    world.cloud.deployments = [{ name: 'w1', endpoint: 'http://w1' }];
    const rows = await app.listWorkers.execute(TARGETS);
    expect(rows.map((row) => [row.id, row.toolkits])).toEqual([['w1', ['Github', 'Slack']]]);
    expect(world.engine.calls[0]).toEqual({ bearer: ALICE.apiKey, target: TARGETS.engine });
  });

  it(`fetches the toolkits of ${TOOLKIT_FETCHES_AT_ONCE} servers at once, never more, and keeps their order`, async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([...Array(40).keys()], TOOLKIT_FETCHES_AT_ONCE, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
      inFlight -= 1;
      return n * 2;
    });
    expect(peak).toBe(TOOLKIT_FETCHES_AT_ONCE);
    expect(results).toEqual([...Array(40).keys()].map((n) => n * 2));
  });

  it('enable and disable change the state; an unknown id is "not found"', async () => {
    const { world, app } = memoryApp();
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    world.engine.workers = [{ id: 'w1', enabled: true, endpoint: null }];
    await app.setWorkerEnabled.execute('w1', false, TARGETS.engine);
    expect(world.engine.workers[0].enabled).toBe(false);
    await expect(app.setWorkerEnabled.execute('nope', true, TARGETS.engine)).rejects.toThrow('Server "nope" not found.');
  });

  it('rm deletes the Cloud deployment, then the Engine registration; with no deployment it touches nothing', async () => {
    const { world, app } = memoryApp();
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    world.engine.workers = [
      { id: 'w1', enabled: true, endpoint: null },
      { id: 'w2', enabled: true, endpoint: null },
      { id: 'w3', enabled: true, endpoint: null },
    ];
    world.cloud.deployments = [
      { name: 'w1', endpoint: null },
      { name: 'w2', endpoint: null },
    ];
    const rm = (id: string, deregisterOnly: boolean) =>
      app.removeWorker.execute(id, { deregisterOnly, targets: TARGETS, confirm: yes });
    expect(await rm('w1', false)).toEqual({ cloudDeploymentDeleted: true, engineDeregistered: true });
    await expect(rm('w3', false)).rejects.toThrow(
      'Deployment not found. To deregister the worker from the engine, use the --deregister flag.',
    );
    expect(world.engine.workers.map((w) => w.id)).toEqual(['w2', 'w3']);
    expect(await rm('w3', true)).toEqual({ cloudDeploymentDeleted: false, engineDeregistered: true });
    expect(world.cloud.deployments.map((d) => d.name)).toEqual(['w2']);
    await expect(rm('nope', true)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('rm removes nothing when the user says no', async () => {
    const { world, app } = memoryApp();
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    world.engine.workers = [{ id: 'w1', enabled: true, endpoint: null }];
    world.cloud.deployments = [{ name: 'w1', endpoint: null }];
    await expect(
      app.removeWorker.execute('w1', { deregisterOnly: false, targets: TARGETS, confirm: () => Promise.resolve(false) }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect([world.engine.workers.length, world.cloud.deployments.length]).toEqual([1, 1]);
  });
});

describe('server logs', () => {
  async function follow(connections: MemoryLogConnection[]) {
    const { world, app } = memoryApp();
    await world.credentials.save(ALICE.apiKey, ALICE.email);
    world.logs.connections = connections;
    const printed: string[] = [];
    const notices: string[] = [];
    const run = app.streamWorkerLogs.execute('w1', {
      cloud: TARGETS.cloud,
      print: (event) => printed.push(event.data),
      notice: (line) => notices.push(line),
    });
    return { run, printed, notices, world };
  }

  it('resumes a dropped stream after the last event received, printing each line once', async () => {
    const { run, printed, notices, world } = await follow([
      {
        events: [
          { id: '1', data: 'a' },
          { id: '2', data: 'b' },
        ],
        end: { kind: 'dropped', reason: 'ECONNRESET', connected: true },
      },
      { events: [{ id: '3', data: 'c' }], end: { kind: 'done' } },
    ]);
    await run;
    expect(printed).toEqual(['a', 'b', 'c']);
    expect(world.logs.resumedAfter).toEqual([null, '2']);
    expect(notices).toEqual(['The log stream dropped (ECONNRESET); reconnecting (1 of 3)...']);
  });

  it(`gives up after ${LOG_RECONNECTS} drops in a row with nothing received, and says why`, async () => {
    const dropped = { events: [], end: { kind: 'dropped', reason: 'ECONNREFUSED', connected: false } } as const;
    const { run, notices } = await follow(Array.from({ length: LOG_RECONNECTS + 1 }, () => dropped));
    await expect(run).rejects.toMatchObject({
      code: 'network',
      message: `The log stream of w1 dropped ${LOG_RECONNECTS + 1} times in a row (ECONNREFUSED); giving up.`,
    });
    expect(notices).toHaveLength(LOG_RECONNECTS);
    // It never connected: it says so, not that a stream it never had dropped.
    expect(notices[0]).toBe('Could not connect to the log stream (ECONNREFUSED); trying again (1 of 3)...');
  });

  it('gives up on a server that replays the event it resumed after and drops, printing that line once', async () => {
    const replay = { events: [{ id: '1', data: 'a' }], end: { kind: 'dropped', reason: 'ECONNRESET', connected: true } } as const;
    const { run, printed, notices } = await follow(Array.from({ length: LOG_RECONNECTS + 2 }, () => replay));
    await expect(run).rejects.toMatchObject({
      message: `The log stream of w1 dropped ${LOG_RECONNECTS + 1} times in a row (ECONNRESET); giving up.`,
    });
    expect(printed).toEqual(['a']);
    expect(notices).toHaveLength(LOG_RECONNECTS);
  });

  it(`gives up after ${LOG_RECONNECTS_TOTAL} reconnections in all, even with new lines between them`, async () => {
    const { run, printed } = await follow(
      Array.from({ length: LOG_RECONNECTS_TOTAL + 5 }, (_, i) => ({
        events: [{ id: String(i), data: `line ${i}` }],
        end: { kind: 'dropped', reason: 'ECONNRESET', connected: true } as const,
      })),
    );
    await expect(run).rejects.toMatchObject({
      message: `The log stream of w1 dropped ${LOG_RECONNECTS_TOTAL + 1} times (ECONNRESET); giving up.`,
    });
    expect(printed).toHaveLength(LOG_RECONNECTS_TOTAL + 1);
  });

  it('ends with an error for `event: error`, and "not found" for an unknown id', async () => {
    await expect((await follow([{ events: [], end: { kind: 'error', message: 'boom' } }])).run).rejects.toMatchObject({
      code: 'stream-error',
    });
    await expect((await follow([{ events: [], end: { kind: 'not-found' } }])).run).rejects.toThrow('Server "w1" not found.');
  });
});

describe('renderTable', () => {
  const header = [{ title: '' }, { title: 'ID', shrinks: true }, { title: 'NAME', shrinks: true }];
  it('pads columns on a terminal, marks nothing it was not given, and trims trailing spaces', () => {
    expect(
      renderTable(
        header,
        [
          ['*', 'org_acme', 'Acme'],
          ['', 'o2', 'Other'],
        ],
        80,
      ),
    ).toBe('   ID        NAME\n*  org_acme  Acme\n   o2        Other\n');
  });
  it('cuts the widest free-text column first, never below 8 characters', () => {
    const text = renderTable(header, [['*', 'a'.repeat(30), 'b'.repeat(40)]], 50);
    // The widest goes first, so the two end up about equal: 22 and 23 characters.
    expect(text.split('\n')[1]).toBe(`*  ${'a'.repeat(21)}…  ${'b'.repeat(22)}…`);
    expect(renderTable(header, [['*', 'a'.repeat(30), 'b'.repeat(40)]], 10).split('\n')[1]).toBe(`*  aaaaaaa…  bbbbbbb…`);
  });
});
