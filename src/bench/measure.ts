/** How the benchmark measures (wall times, medians, interleaved pairs) and reports (one table, a verdict per target). */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), min: sorted[0], max: sorted.at(-1)! };
}

/** Runs a command to its end; resolves to its wall time in ms. */
export function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
  });
}

/** A quantile of sorted samples, interpolated. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

export interface PairResult {
  readonly a: Stats;
  readonly b: Stats;
  /** Median of the pairwise ratios a/b, and its interquartile range. */
  readonly ratio: number;
  readonly q1: number;
  readonly q3: number;
}

export type Side = readonly [args: string[], env: NodeJS.ProcessEnv];

/** `runs` interleaved pairs of `a` and `b` (node with the given arguments), alternating which runs first. */
export async function pairs(runs: number, a: Side, b: Side): Promise<PairResult> {
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const runA = () => timed(process.execPath, a[0], a[1]).then((t) => as.push(t));
    const runB = () => timed(process.execPath, b[0], b[1]).then((t) => bs.push(t));
    for (const run of i % 2 ? [runB, runA] : [runA, runB]) await run();
  }
  const ratios = as.map((t, i) => t / bs[i]).sort((x, y) => x - y);
  return { a: stats(as), b: stats(bs), ratio: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75) };
}

/** A URL nothing answers at: a port reserved (listen on 0), then closed; never a fixed one. */
export async function nothingHere(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export const ms = (s: Stats): string => `${s.median.toFixed(1)} ms`;
export const range = (s: Stats): string => `min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}`;

/** The benchmark's rows, each with its verdict against a target (or none), printed as one table. */
export class Report {
  private readonly rows: string[][] = [];
  private readonly verdicts: boolean[] = [];

  readonly row = (scenario: string, value: string, detail: string, target: string, ok: boolean | null): void => {
    this.rows.push([scenario, value, detail, target, ok === null ? '' : ok ? 'ok' : 'OVER']);
    if (ok !== null) this.verdicts.push(ok);
  };

  /** One row for a compared pair: the ratio with its IQR, both medians, the verdict. */
  readonly compared = (scenario: string, result: PairResult, target: number): void => {
    this.row(
      scenario,
      `${result.ratio.toFixed(3)}x`,
      `IQR ${result.q1.toFixed(3)}-${result.q3.toFixed(3)}; ${ms(result.a)} vs ${ms(result.b)}`,
      `<= ${target}x`,
      result.ratio <= target,
    );
  };

  allMet(): boolean {
    return this.verdicts.every(Boolean);
  }

  table(): string {
    const header = ['scenario', 'result', 'detail', 'target', ''];
    const widths = header.map((h, i) => Math.max(h.length, ...this.rows.map((r) => r[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...this.rows.map(line)].join('\n') + '\n';
  }
}
