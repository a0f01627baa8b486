/**
 * Issue "Every promise holds under attack, round 2": an Engine and a Cloud that answer in every way
 * an API must not (huge bodies, a gzip bomb, pages that never end or do not add up, log streams that
 * never end a line or replay and drop). Each command ends with one line, exit 1, within its
 * bound, its peak memory under 200 MB.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { closeServer, listenOnLoopback } from '../../src/stand-ins/http-helpers.js';
import { freePort, ROOT, Sandbox } from '../support/sandbox.js';
import { ALICE } from '../support/stand-ins.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

let server: Server;
let base: string;
let engine: Handler;
let logs: Handler;
let logConnections = 0;
let deployments: unknown[] = [];
let toolkits: unknown[] = [];
let gzipBomb: Buffer;
let sandbox: Sandbox;

/** 1 GiB of zeros, gzipped (about 1 MB). */
async function makeGzipBomb(): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < 1024; i++) if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  await new Promise((resolve) => gzip.end(resolve));
  return Buffer.concat(chunks);
}

/** Writes `total` bytes of `unit` as fast as the client reads, stopping when it goes away. */
function stream(res: ServerResponse, unit: string, total: number): void {
  const chunk = Buffer.from(unit.repeat(Math.ceil((1024 * 1024) / unit.length)));
  let sent = 0;
  const more = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

beforeAll(async () => {
  gzipBomb = await makeGzipBomb();
  ({ server, url: base } = await listenOnLoopback((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/workers') return void res.end(JSON.stringify({ data: { workers: deployments } }));
    if (url.pathname.startsWith('/api/v1/workers/logs/')) {
      logConnections += 1;
      return logs(req, res, url);
    }
    if (url.pathname === '/v1/workers') return engine(req, res, url);
    if (url.pathname === '/api/v1/auth/validate') return stream(res.writeHead(200), '{', 300 * 1024 * 1024);
    res.end(JSON.stringify({ items: toolkits, total_count: toolkits.length }));
  }));
});

afterAll(async () => {
  await closeServer(server);
});

beforeEach(() => {
  logConnections = 0;
  deployments = [];
  toolkits = [];
  sandbox = new Sandbox({ cloud: base, engine: base });
  sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
});

afterEach(async () => {
  await sandbox.cleanup();
});

/** Runs the CLI (untracked unless asked: only its own process) and the peak RSS in MiB of every process it ran. */
async function runMeasured(args: string[], env: Record<string, string> = { ARCADE_USAGE_TRACKING: '0' }) {
  const rssFile = join(sandbox.root, 'rss.txt');
  rmSync(rssFile, { force: true });
  const result = await sandbox.run(
    args,
    { ...env, NODE_OPTIONS: `--import=${join(ROOT, 'dist/bench/rss-probe.js')}`, BENCH_RSS_FILE: rssFile },
    60_000,
  );
  await sandbox.waitForNoProcesses();
  const peaks = readFileSync(rssFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => Number(line.split(' ')[0]) / 1024);
  return { ...result, peakMiB: Math.max(...peaks), processes: peaks.length };
}

function expectOneLine(result: { code: number | null; stderr: string; peakMiB: number }, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(new RegExp(`^${pattern.source}\\n$`));
  expect(result.peakMiB).toBeLessThan(200);
}

const items = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `w${from + i}`, enabled: true }));

describe('a hostile Engine: server list', () => {
  it('a 300 MB answer: cut off at 4 MB', async () => {
    engine = (_req, res) => stream(res.writeHead(200, { 'content-type': 'application/json' }), '[', 300 * 1024 * 1024);
    expectOneLine(
      await runMeasured(['server', 'list']),
      /Arcade Engine at http:\/\/127\.0\.0\.1:\d+ answered GET \/v1\/workers with more than 4 MB, which is not an answer of its API\. Check ARCADE_ENGINE_URL\./,
    );
  });

  it('a gzip bomb: never decompressed', async () => {
    engine = (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipBomb);
    expectOneLine(
      await runMeasured(['server', 'list']),
      /Arcade Engine at .* sent a response that is not JSON to GET \/v1\/workers\. Check ARCADE_ENGINE_URL\./,
    );
  });

  it.each([
    [
      'a page whose offset never advances',
      () => ({ items: items(0, 100), total_count: 1000, offset: 0 }),
      /the page asked for at offset 100 says it is at another/,
    ],
    ['a total that is not a number', () => ({ items: items(0, 100), total_count: 'lots' }), /its total_count is not a count/],
    [
      'a huge total with no items',
      () => ({ items: [], total_count: 1e9 }),
      /it says 1000000000 in all, but its pages end after 0/,
    ],
  ])('%s: a bad response, not a partial list', async (_what, page, why) => {
    engine = (_req, res) => res.end(JSON.stringify(page()));
    const result = await runMeasured(['server', 'list']);
    expectOneLine(
      result,
      new RegExp(
        `Arcade Engine at .* sent pages of GET /v1/workers that do not add up: ${why.source}\\. Check ARCADE_ENGINE_URL\\.`,
      ),
    );
    expect(result.stdout).toBe('');
  });

  it('pages that never end: stopped at 100,000 servers', async () => {
    engine = (_req, res, url) => res.end(JSON.stringify({ items: items(Number(url.searchParams.get('offset')), 100) }));
    expectOneLine(
      await runMeasured(['server', 'list']),
      /Arcade Engine at .* sent pages of GET \/v1\/workers that do not add up: it lists more than 100000 items\. Check ARCADE_ENGINE_URL\./,
    );
  }, 120_000);
});

describe('a hostile Cloud: the principal lookup', () => {
  it('a 300 MB answer to the lookup: whoami and its delivery stay small, and the principal stays unknown', async () => {
    await sandbox.credentialsSettled(); // a delivery leaves credentials that just changed to the login that changed them
    const result = await runMeasured(['whoami'], {});
    expect(result).toExitWith(0);
    expect(result.processes).toBe(2); // the command, and the delivery that looked the key up
    expect(result.peakMiB).toBeLessThan(200);
    expect(sandbox.readJson('usage.json')).toMatchObject({ linked_principal_id: null, principal_lookup: { principal_id: null } });
  });
});

describe('a hostile log stream: server logs', () => {
  it('a line that never ends: stopped at 1 MB', async () => {
    logs = (_req, res) => stream(res.writeHead(200, { 'content-type': 'text/event-stream' }), 'data: ', 80 * 1024 * 1024);
    expectOneLine(
      await runMeasured(['server', 'logs', 'w1']),
      /The log stream of w1 sent a line longer than 1 MB, which is not a log line\. Check ARCADE_CLOUD_URL\./,
    );
  });

  it('the same event replayed on every connection, then dropped: printed once, then given up', async () => {
    logs = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('id: 1\ndata: the only line\n\n', () => res.socket?.destroy());
    };
    const result = await runMeasured(['server', 'logs', 'w1']);
    expect(result.code).toBe(1);
    // A notice for each reconnection, then the error.
    expect(result.stderr.split('\n').slice(3)).toEqual([
      expect.stringMatching(/^The log stream of w1 dropped 4 times in a row \(.*\); giving up\.$/),
      '',
    ]);
    expect(result.stdout).toBe('the only line\n');
    expect(logConnections).toBe(4);
  });

  it('a byte order mark before the first line: the line is kept', async () => {
    logs = (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end('\ufeffdata: first\n\ndata: [DONE]\n\n');
    const result = await sandbox.run(['server', 'logs', 'w1'], { ARCADE_USAGE_TRACKING: '0' });
    expect(result).toExitWith(0);
    expect(result.stdout).toBe('first\n');
  });
});

/** What a terminal obeys: ESC, BEL, CR and the C1 controls (U+0080-U+009F), and DEL (a tab separates piped columns). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** OSC 52 (writes the clipboard), OSC 8 (a link), a CSI repaint through U+009B, BEL, CR. */
const HOSTILE = '\u001b]52;c;cHduZWQ=\u0007\u001b]8;;https://evil.example\u001b\\x\u009b2J\rover';

describe('text from servers, bound for the terminal', () => {
  it('server list, as a table and as JSON: no control character from a server reaches stdout', async () => {
    engine = (_req, res) =>
      res.end(
        JSON.stringify({ items: [{ id: `w${HOSTILE}`, enabled: true, http: { uri: `https://e/${HOSTILE}` } }], total_count: 1 }),
      );
    deployments = [{ name: `w${HOSTILE}`, endpoint: `https://c/${HOSTILE}` }];
    toolkits = [{ toolkit: { name: `kit${HOSTILE}` } }];
    for (const args of [
      ['server', 'list'],
      ['server', 'list', '--json'],
    ]) {
      const result = await sandbox.run(args, { ARCADE_USAGE_TRACKING: '0' });
      expect(result).toExitWith(0);
      expect(result.stdout).toContain('over');
      expect(result.stdout.replaceAll('\n', '')).not.toMatch(CONTROLS);
    }
    // JSON keeps the data exact: the C1 control is escaped, not replaced.
    const json = await sandbox.run(['server', 'list', '--json'], { ARCADE_USAGE_TRACKING: '0' });
    expect((JSON.parse(json.stdout) as Array<{ id: string }>)[0].id).toBe(`w${HOSTILE}`);
  });

  it('server logs and its error: each line shown without control characters', async () => {
    logs = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/event-stream' })
        .end(`data: one${HOSTILE}\n\nevent: error\ndata: bad${HOSTILE}\n\n`);
    for (const args of [
      ['server', 'logs', 'w1'],
      ['server', 'logs', 'w1', '--json'],
    ]) {
      const result = await sandbox.run(args, { ARCADE_USAGE_TRACKING: '0' });
      expect(result).toExitWith(1);
      // (A CR ends an event-stream line, so what follows it is a field of its own.)
      expect(result.stdout).toContain('evil.example');
      expect(result.stderr).toMatch(/^The log stream of w1 reported an error: bad.*evil\.example.*\n$/);
      expect((result.stdout + result.stderr).replaceAll('\n', '')).not.toMatch(CONTROLS);
    }
  });

  it('a URL setting with a password and a line break: one line, and no password', async () => {
    const result = await sandbox.run(['server', 'list', '--engine-url', `http://ann:s3cret@127.0.0.1:${await freePort()}/x\ny`], {
      ARCADE_USAGE_TRACKING: '0',
    });
    expect(result).toExitWith(1);
    expect(result.stderr).not.toContain('s3cret');
    expect(result.stderr.split('\n')).toHaveLength(2);
  });
});
