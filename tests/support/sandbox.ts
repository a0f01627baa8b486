/** Runs the built CLI as a child process in a throwaway home and work directory, with a controlled environment. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CREDENTIALS_SETTLED_MS } from '../../src/adapters/fs/fs-credentials-store.js';
import { DELIVERY_ARGUMENT } from '../../src/adapters/process/delivery-argument.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';

const execFileAsync = promisify(execFile);

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/arcade.cjs');
/**
 * How the CLI is started: with Node, and when the tests run as root (as in a container) through
 * `setpriv` without the capabilities that override file permissions, so the CLI meets a read-only
 * directory as any user would.
 */
const NODE: readonly string[] =
  process.getuid?.() === 0 && existsSync('/usr/bin/setpriv')
    ? ['/usr/bin/setpriv', '--bounding-set=-dac_override,-dac_read_search', process.execPath]
    : [process.execPath];
const FAKE_BROWSER = `${process.execPath} ${join(ROOT, 'dist/stand-ins/fake-browser.js')}`;
/**
 * Node's compile cache (Node 22+: compile-cache.ts), shared by every sandbox as a user's is by
 * every run: warm after the first runs, instead of compiled afresh in each sandbox's home.
 */
const SHARED_CACHE_HOME = join(tmpdir(), 'arcade-test-cache-home');

/** A port nothing listens on now: reserved (listen on port 0), then closed. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A URL nothing answers at: a port reserved for this test file, then closed (never a fixed one). */
export const NOTHING_HERE = `http://127.0.0.1:${await freePort()}`;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The process was killed for outliving the test's limit: it hung. */
  readonly killed: boolean;
}

export class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'arcade-test-'));
  readonly home = join(this.root, 'home');
  workDir = join(this.root, 'work');
  stateDir = join(this.workDir, '.arcade');
  env: Record<string, string>;

  constructor(hosts: { posthog?: string; cloud?: string; engine?: string } = {}) {
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.workDir, { recursive: true });
    this.env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      ARCADE_WORK_DIR: this.workDir,
      ARCADE_POSTHOG_HOST: hosts.posthog ?? NOTHING_HERE,
      ARCADE_POSTHOG_KEY: 'phc_test_project_key',
      ARCADE_CLOUD_URL: hosts.cloud ?? NOTHING_HERE,
      ARCADE_ENGINE_URL: hosts.engine ?? NOTHING_HERE,
      BROWSER: FAKE_BROWSER,
      XDG_CACHE_HOME: SHARED_CACHE_HOME,
    };
  }

  /** Moves the state to `<root>/<name>/.arcade` (ARCADE_WORK_DIR), so that a test can put a value in its path. */
  useWorkDir(name: string): void {
    this.workDir = join(this.root, name);
    this.stateDir = join(this.workDir, '.arcade');
    mkdirSync(this.workDir, { recursive: true });
    this.env.ARCADE_WORK_DIR = this.workDir;
  }

  /** Runs the CLI (the built one, or `cli`: an installed copy) in the sandbox's root directory (so anything it writes by mistake stays in the sandbox). */
  run(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000, cli = CLI): Promise<CliResult> {
    return this.runCommand(NODE[0], [...NODE.slice(1), cli, ...args], env, { timeoutMs });
  }

  /** Runs the CLI with at most `limit` open files (`ulimit -n`, set by bash in the test's harness; the CLI itself never runs a shell). */
  runWithFileLimit(limit: number, args: string[]): Promise<CliResult> {
    return this.runCommand('/bin/bash', ['-c', `ulimit -n ${limit} && exec "$0" "$@"`, ...NODE, CLI, ...args]);
  }

  /** Runs the CLI with `input` on its stdin (a pipe, as a script gives it). */
  runWithInput(args: string[], input: string, env: Record<string, string> = {}, cli = CLI): Promise<CliResult> {
    return this.runCommand(NODE[0], [...NODE.slice(1), cli, ...args], env, { input });
  }

  /** Runs a program (the CLI, or a terminal for it) with the sandbox's environment, in its root; killed when it outlives `timeoutMs`. */
  runCommand(
    file: string,
    args: string[],
    env: Record<string, string> = {},
    { timeoutMs = 15_000, input }: { timeoutMs?: number; input?: string } = {},
  ): Promise<CliResult> {
    return new Promise((resolvePromise) => {
      const child = execFile(
        file,
        args,
        { cwd: this.root, env: { ...this.env, ...env }, timeout: timeoutMs, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          resolvePromise({ code, stdout, stderr, killed: Boolean(error?.killed) });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  }

  /** Starts the CLI without waiting for it. */
  spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    return spawn(NODE[0], [...NODE.slice(1), CLI, ...args], { cwd: this.root, env: { ...this.env, ...env }, stdio: 'pipe' });
  }

  /**
   * The pids of live background delivery processes of this sandbox, found with `ps` (Linux and
   * macOS alike) by their arguments: `__deliver` and this sandbox's state directory.
   */
  async deliveryPids(): Promise<number[]> {
    // Asynchronously: a test's stand-ins share its event loop, and must keep answering while ps runs.
    const { stdout } = await execFileAsync('ps', ['-A', '-o', 'pid=', '-o', 'args='], { encoding: 'utf8' });
    return stdout
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
      .filter((match) => match !== null && match[2].includes(` ${DELIVERY_ARGUMENT} ${this.stateDir}`))
      .map((match) => Number(match![1]));
  }

  /** Waits until no process of this sandbox is left (background deliveries end within their hard limit). */
  async waitForNoProcesses(timeoutMs = 12_000): Promise<void> {
    await pollUntil(
      async () => ((await this.deliveryPids()).length === 0 ? true : undefined),
      timeoutMs,
      'background processes to exit',
      100,
    );
  }

  file(name: string): string {
    return join(this.stateDir, name);
  }

  readJson(name: string): Record<string, unknown> {
    return JSON.parse(readFileSync(this.file(name), 'utf8')) as Record<string, unknown>;
  }

  anonId(): string {
    return this.readJson('usage.json').anon_id as string;
  }

  writeCredentials(apiKey: string, email: string): void {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(this.file('credentials.yaml'), `cloud:\n  api:\n    key: ${apiKey}\n  user:\n    email: ${email}\n`, {
      mode: 0o600,
    });
  }

  /**
   * credentials.yaml as today's Python Arcade CLI leaves it after `arcade login` (OAuth), byte for
   * byte as PyYAML dumps it: keys sorted, `expires_at` a quoted local date-time without a zone.
   */
  writeOAuthCredentials(session: {
    accessToken: string;
    refreshToken: string;
    expiresAt: Date;
    coordinatorUrl: string;
    email: string;
    context?: { orgId: string; orgName: string; projectId: string; projectName: string };
    extra?: string;
  }): void {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    const at = session.expiresAt;
    const expiresAt = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds() * 1000, 6)}`;
    const context = session.context
      ? `  context:\n    org_id: ${session.context.orgId}\n    org_name: ${session.context.orgName}\n    project_id: ${session.context.projectId}\n    project_name: ${session.context.projectName}\n`
      : '';
    writeFileSync(
      this.file('credentials.yaml'),
      `cloud:\n  auth:\n    access_token: ${session.accessToken}\n    expires_at: '${expiresAt}'\n    refresh_token: ${session.refreshToken}\n` +
        context +
        `  coordinator_url: ${session.coordinatorUrl}\n${session.extra ?? ''}  user:\n    email: ${session.email}\n`,
      { mode: 0o600 },
    );
  }

  /** Resolves once credentials.yaml last changed long enough ago that a delivery no longer leaves it to a login still writing it. */
  async credentialsSettled(): Promise<void> {
    await pollUntil(
      () => (Date.now() - statSync(this.file('credentials.yaml')).ctimeMs >= CREDENTIALS_SETTLED_MS ? true : undefined),
      5000,
      'credentials.yaml to settle',
    );
  }

  /** `usage status --json`, read with tracking off so that asking adds no event of its own. */
  async usageStatus(env: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const result = await this.run(['usage', 'status', '--json'], { ...env, ARCADE_USAGE_TRACKING: '0' });
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  async cleanup(): Promise<void> {
    for (const pid of await this.deliveryPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // A test may have made the state directory or the outbox read-only; as any user but root, rm needs them writable.
    for (const dir of [this.stateDir, join(this.stateDir, 'usage-outbox')])
      if (existsSync(dir) && lstatSync(dir).isDirectory()) chmodSync(dir, 0o700);
    rmSync(this.root, { recursive: true, force: true });
  }
}
