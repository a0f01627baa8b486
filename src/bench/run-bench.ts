#!/usr/bin/env node
/**
 * `npm run bench`: what tracking costs, measured with the built CLI against local stand-ins.
 * Prints medians, min/max and ratios against the targets of docs/performance.md. No network.
 *   --runs N   pairs per timed scenario (default 21, at least 15)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeArcadeCloud } from '../stand-ins/fake-arcade-cloud.js';
import { FakeArcadeEngine } from '../stand-ins/fake-arcade-engine.js';
import { FakePosthog } from '../stand-ins/fake-posthog.js';
import { pollUntil } from '../stand-ins/http-helpers.js';
import { CLOCK_TICKS_PER_SECOND, markedProcesses } from '../stand-ins/marked-processes.js';

const CLI = fileURLToPath(new URL('../arcade.cjs', import.meta.url));
const PROBE = fileURLToPath(new URL('./rss-probe.js', import.meta.url));
const runsIndex = process.argv.indexOf('--runs');
const RUNS = Math.max(15, runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 21);
const ACCOUNT = { apiKey: 'arc_bench_0123456789abcdefghij', email: 'bench@example.com', principalId: 'usr_bench' };

interface Stats {
  median: number;
  min: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1)! };
}

/** Runs a command to its end; resolves to its wall time in ms. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
  });
}

/** `whoami` with tracking on and off, RUNS times each, alternating which goes first; the wall times of each. */
async function interleaved(env: NodeJS.ProcessEnv): Promise<{ on: Stats; off: Stats }> {
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const pair = [
      () => timed(process.execPath, [CLI, 'whoami'], env).then((t) => on.push(t)),
      () => timed(process.execPath, [CLI, 'whoami'], { ...env, ARCADE_USAGE_TRACKING: '0' }).then((t) => off.push(t)),
    ];
    for (const run of i % 2 ? pair.reverse() : pair) await run();
  }
  return { on: stats(on), off: stats(off) };
}

/** Live background delivery processes of this benchmark (marked through the environment they inherit). */
function deliveryProcesses(marker: string) {
  return markedProcesses('BENCH_MARKER', marker).filter((process) => process.delivering);
}

const root = mkdtempSync(join(tmpdir(), 'arcade-bench-'));
const [posthog, cloud] = await Promise.all([FakePosthog.start(), FakeArcadeCloud.start()]);
cloud.addAccount(ACCOUNT);
const marker = String(process.pid);
const baseEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: root,
  ARCADE_POSTHOG_HOST: posthog.url,
  ARCADE_POSTHOG_KEY: 'phc_bench',
  ARCADE_CLOUD_URL: cloud.url,
  BENCH_MARKER: marker,
};
const rows: string[][] = [];
const verdicts: boolean[] = [];
function row(scenario: string, value: string, detail: string, target: string, ok: boolean | null): void {
  rows.push([scenario, value, detail, target, ok === null ? '' : ok ? 'ok' : 'OVER']);
  if (ok !== null) verdicts.push(ok);
}
const ms = (s: Stats) => `${s.median.toFixed(1)} ms`;
const range = (s: Stats) => `min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}`;

try {
  // 1. Tracking overhead: logged in, linked, PostHog reachable; interleaved with tracking off.
  const work = join(root, 'overhead');
  mkdirSync(join(work, '.arcade'), { recursive: true });
  writeFileSync(
    join(work, '.arcade', 'credentials.yaml'),
    `cloud:\n  api:\n    key: ${ACCOUNT.apiKey}\n  user:\n    email: ${ACCOUNT.email}\n`,
    { mode: 0o600 },
  );
  const env = { ...baseEnv, ARCADE_WORK_DIR: work };
  for (let i = 0; i < 3; i++) await timed(process.execPath, [CLI, 'whoami'], env); // link, and warm the disk cache
  await posthog.waitForEvents(4, 15_000);
  const lookupsBefore = cloud.lookups.length;
  const { on, off } = await interleaved(env);
  row('whoami, tracked (logged in, linked)', ms(on), range(on), '', null);
  row('whoami, ARCADE_USAGE_TRACKING=0', ms(off), range(off), '', null);
  row(
    'tracking overhead (ratio of medians)',
    `${(on.median / off.median).toFixed(3)}x`,
    `${(on.median - off.median).toFixed(1)} ms`,
    '<= 1.05x',
    on.median / off.median <= 1.05,
  );
  row(
    'principal lookups, steady state',
    String(cloud.lookups.length - lookupsBefore),
    `over ${RUNS} tracked runs`,
    '0',
    cloud.lookups.length === lookupsBefore,
  );

  // 1b. The same, with a PostHog that takes 4 s to answer: the command must not wait for it.
  posthog.behaviour = { delayMs: 4000 };
  const { on: slowOn, off: slowOff } = await interleaved(env);
  posthog.behaviour = {};
  row('whoami, tracked, PostHog answering in 4 s', ms(slowOn), range(slowOn), '', null);
  row(
    'slow PostHog overhead (ratio of medians)',
    `${(slowOn.median / slowOff.median).toFixed(3)}x`,
    `untracked ${ms(slowOff)}`,
    '<= 1.10x',
    slowOn.median / slowOff.median <= 1.1,
  );

  // 2. Cold start: --version against bare node.
  const version: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    version.push(await timed(process.execPath, [CLI, '--version'], env));
    bare.push(await timed(process.execPath, ['-e', '0'], env));
  }
  const [v, b] = [stats(version), stats(bare)];
  row('arcade --version', ms(v), range(v), '', null);
  row('node -e 0', ms(b), range(b), '', null);
  row('cold start (ratio of medians)', `${(v.median / b.median).toFixed(3)}x`, '', '<= 1.6x', v.median / b.median <= 1.6);

  // 3. Peak RSS of the CLI process on a tracked command.
  const rssFile = join(root, 'rss');
  for (let i = 0; i < 5; i++)
    await timed(process.execPath, ['--import', PROBE, CLI, 'whoami'], { ...env, BENCH_RSS_FILE: rssFile });
  const rss = stats(readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
  row(
    'peak RSS of the CLI (whoami, tracked)',
    `${(rss.median / 1024).toFixed(1)} MiB`,
    `min ${(rss.min / 1024).toFixed(1)}, max ${(rss.max / 1024).toFixed(1)}`,
    '',
    null,
  );

  // 4. A burst of 100 commands, back to back, against a PostHog taking 50 ms a request.
  await pollUntil(() => (deliveryProcesses(marker).length === 0 ? true : undefined), 15_000, 'earlier deliveries to end');
  const burstEnv = { ...baseEnv, ARCADE_WORK_DIR: join(root, 'burst') };
  posthog.behaviour = { delayMs: 50 };
  const [eventsBefore, requestsBefore] = [posthog.events.length, posthog.requests.length];
  const cpuByPid = new Map<number, number>();
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const live = deliveryProcesses(marker);
      peak = Math.max(peak, live.length);
      for (const { pid, cpuTicks } of live) cpuByPid.set(pid, cpuTicks);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  for (let i = 0; i < 100; i++) await timed(process.execPath, [CLI, 'usage', 'status'], burstEnv);
  await posthog.waitForEvents(eventsBefore + 100, 30_000);
  await pollUntil(() => (deliveryProcesses(marker).length === 0 ? true : undefined), 15_000, 'the burst deliveries to end');
  sampling = false;
  await sampler;
  const requests = posthog.requests.length - requestsBefore;
  const cpuSeconds = [...cpuByPid.values()].reduce((sum, ticks) => sum + ticks, 0) / CLOCK_TICKS_PER_SECOND;
  row('burst of 100: requests to PostHog', String(requests), 'Python CLI design: 100', '< 100', requests < 100);
  row('burst of 100: peak delivery processes', String(peak), 'Python CLI design: up to 100', '<= 3', peak <= 3);
  row(
    'burst of 100: delivery CPU time',
    `${cpuSeconds.toFixed(2)} s`,
    `${cpuByPid.size} process(es), sampled from /proc`,
    '',
    null,
  );
  row(
    'burst of 100: events delivered',
    String(posthog.events.length - eventsBefore),
    'each exactly once',
    '100',
    posthog.events.length - eventsBefore === 100 && new Set(posthog.events.map((e) => e.uuid)).size === posthog.events.length,
  );

  // 5. `server list` on a large account: 40 servers, 4 pages of tools each, an Engine answering in 50 ms.
  const engine = await FakeArcadeEngine.start();
  try {
    engine.apiKeys.add(ACCOUNT.apiKey);
    engine.delayMs = 50;
    engine.pageSize = 100;
    for (let i = 0; i < 40; i++)
      engine.workers.push({
        id: `server-${i}`,
        enabled: true,
        uri: null,
        tools: Array.from({ length: 400 }, (_, t) => `Kit${t % 7}.tool${t}`),
      });
    const listEnv = { ...env, ARCADE_ENGINE_URL: engine.url, ARCADE_USAGE_TRACKING: '0' };
    const listRuns: number[] = [];
    let requestsPerRun = 0;
    for (let i = 0; i < 5; i++) {
      const before = engine.requests.length;
      listRuns.push(await timed(process.execPath, [CLI, 'server', 'list', '--json'], listEnv));
      requestsPerRun = engine.requests.length - before;
    }
    const list = stats(listRuns);
    // A client making one request at a time would wait at least this long for the Engine alone.
    const sequentialMs = requestsPerRun * engine.delayMs;
    row(
      'server list, 40 servers x 4 tool pages, Engine at 50 ms',
      ms(list),
      `${range(list)}; ${requestsPerRun} requests`,
      '',
      null,
    );
    row(
      'server list against a sequential client (ratio)',
      `${(list.median / sequentialMs).toFixed(3)}x`,
      `sequential: at least ${sequentialMs} ms`,
      '<= 0.25x',
      list.median / sequentialMs <= 0.25,
    );
    row('server list: most tools requests at once', String(engine.peakToolsInFlight), '', '>= 4', engine.peakToolsInFlight >= 4);
  } finally {
    await engine.close();
  }
} finally {
  await Promise.all([posthog.close(), cloud.close()]);
  rmSync(root, { recursive: true, force: true });
}

const header = ['scenario', 'result', 'detail', 'target', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
process.stdout.write(
  `arcade benchmark: ${new Date().toISOString().slice(0, 10)}, node ${process.versions.node}, ${cpus().length} cores, ${RUNS} interleaved runs per timed scenario\n\n`,
);
process.stdout.write([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n') + '\n');
process.exit(verdicts.every(Boolean) ? 0 : 1);
