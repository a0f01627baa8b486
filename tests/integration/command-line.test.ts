/** The shell around the commands: help that answers, and usage errors in one line that are never tracked. */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { pollUntil } from '../../src/stand-ins/http-helpers.js';
import { CLI, freePort, type Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, sandbox } = world));

/** For tests of the command line itself, not of what it sends: no event, no delivery process. */
function untracked(): void {
  beforeEach(() => {
    sandbox.env.ARCADE_USAGE_TRACKING = '0';
  });
}

describe('help', () => {
  it.each([
    [['help'], ['arcade login', 'arcade server list', 'arcade usage status']],
    [['--help'], ['arcade whoami', 'arcade server logs']],
    [
      ['server', '--help'],
      ['arcade server list', 'arcade server rm', 'arcade server logs'],
    ],
    [['worker'], ['arcade server enable', 'alias']],
    [['usage'], ['arcade usage status', 'arcade usage flush']],
    [
      ['help', 'server', 'rm'],
      ['--deregister', 'Also available as `arcade worker rm`'],
    ],
  ])('arcade %j exits 0 and lists what it covers, with named placeholders', async (args, expected) => {
    const result = await sandbox.run(args);
    expect(result).toExitWith(0);
    // Clipanion wraps long lines: compare with whitespace collapsed.
    for (const text of expected) expect(result.stdout.replace(/\s+/g, ' ')).toContain(text);
    expect(result.stdout).not.toMatch(/#\d/);
  });

  it('gives every command a description and at least one example', async () => {
    const listing = (await sandbox.run(['--help'])).stdout;
    // The commands listed (not the help topics under "More help").
    const commands = listing.split('\nMore help\n')[0];
    const paths = [...commands.matchAll(/^ {2}arcade ([a-z][a-z ]*?)(?: \[| <|$)/gm)].map((match) => match[1]);
    expect(paths.length).toBe(19);
    for (const path of paths) {
      const help = await sandbox.run(['help', ...path.split(' ')]);
      expect([path, help.code, help.stdout.includes('\nExamples\n')]).toEqual([path, 0, true]);
    }
  });

  it('names each option value: --timeout SECONDS, --engine-url URL, and no #0 anywhere, bare arcade included', async () => {
    for (const args of [['--help'], []]) {
      const result = await sandbox.run(args);
      expect(result).toExitWith(0);
      expect(result.stdout).toContain('--timeout SECONDS');
      expect(result.stdout).toContain('--engine-url URL');
      expect(result.stdout).not.toContain('#0');
      expect(result.stdout).toContain('arcade help environment');
    }
  });

  it('orders a command the same in the group help as in the top-level help', async () => {
    const top = (await sandbox.run(['--help'])).stdout;
    const group = (await sandbox.run(['server'])).stdout;
    const line = (text: string) => text.split('\n').find((entry) => entry.startsWith('  arcade server rm '));
    expect(line(group)).toBe(line(top));
    expect(line(top)).toMatch(/ <id>$/);
  });

  it('has help topics for the environment and exit codes, and arcade version', async () => {
    expect((await sandbox.run(['help', 'environment'])).stdout).toContain('ARCADE_USAGE_TRACKING=0');
    expect((await sandbox.run(['help', 'exit-codes'])).stdout).toMatch(/^ {2}3 {4}cancelled/m);
    const version = await sandbox.run(['version']);
    expect([version.code, version.stdout]).toEqual([0, (await sandbox.run(['--version'])).stdout]);
  });
});

describe('usage errors', () => {
  it.each([
    [['whoamii'], 'Unknown command "whoamii". Did you mean "whoami"? Run "arcade help" for the list.'],
    [['server', 'lst'], 'Unknown command "server lst". Did you mean "server list"? Run "arcade help" for the list.'],
    [['xyzzy'], 'Unknown command "xyzzy". Run "arcade help" for the list.'],
    [['server', 'enable'], 'Missing the server ID. Run "arcade server enable --help".'],
    [['completion'], 'Missing the shell (bash, zsh or fish). Run "arcade completion --help".'],
    [['server', 'list', 'extra'], 'Too many arguments: "extra" is one more than it takes. Run "arcade server list --help".'],
    [['login', '--nope'], 'Unknown option "--nope". Run "arcade login --help".'],
    [['--verbose', 'whoami'], 'Unknown option "--verbose" for "arcade whoami". Run "arcade whoami --help".'],
    [['login', '--timeout', '99999999'], '--timeout must be 1 to 86400 seconds, not "99999999".'],
    [['login', '--timeout', 'abc'], '--timeout must be 1 to 86400 seconds, not "abc".'],
    [['login', '--timeout', '0.5'], '--timeout must be 1 to 86400 seconds, not "0.5".'],
    [
      ['login', '--callback-host', 'evil.example.com/x?'],
      '--callback-host must be a host, host:port or http(s) URL, not "evil.example.com/x?".',
    ],
  ])('arcade %j exits 2 with one line, and sends nothing', async (args, line) => {
    const result = await sandbox.run(args);
    expect(result).toExitWith(2);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe('');
    await sandbox.waitForNoProcesses();
    expect(posthog.requests).toEqual([]);
  });
});

describe('--json for scripts', () => {
  it('whoami, usage flush, usage enable and usage disable print one JSON object each', async () => {
    const out = async (args: string[], code: number) => {
      const result = await sandbox.run(args);
      expect([args, result.code]).toEqual([args, code]);
      return JSON.parse(result.stdout) as unknown;
    };
    expect(await out(['whoami', '--json'], 1)).toEqual({ loggedIn: false, email: null, organization: null, project: null });
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    expect(await out(['whoami', '--json'], 0)).toEqual({ loggedIn: true, email: ALICE.email, organization: null, project: null });
    expect(await out(['usage', 'flush', '--json'], 0)).toMatchObject({ kept: 0, dropped: 0, sending: true });
    expect(await out(['usage', 'disable', '--json'], 0)).toMatchObject({
      saved: 'disabled',
      enabled: false,
      forgotIdentity: true,
      pythonCliStillTracks: true,
    });
    expect(await out(['usage', 'enable', '--json'], 0)).toEqual({
      saved: 'enabled',
      enabled: true,
      explanation: 'enabled by `arcade usage enable`',
    });
  });
});

describe('login --callback-host', () => {
  untracked();

  it('takes a full URL as the Python CLI does: its callback_uri, and the local server on its port', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const { port } = free.address() as AddressInfo;
    await new Promise((resolve) => free.close(resolve));
    const urlFile = join(sandbox.root, 'login-url');
    const login = sandbox.spawn(['login', '--timeout', '20', '--callback-host', `https://my-space.example.dev:${port}/path`], {
      FAKE_BROWSER_SAVE_URL: urlFile,
    });
    const exited = new Promise<number | null>((resolve) => login.on('exit', resolve));
    const saved = await pollUntil(
      () => (existsSync(urlFile) ? readFileSync(urlFile, 'utf8') || undefined : undefined),
      10_000,
      'the login URL',
    );
    const loginUrl = new URL(saved);
    expect(loginUrl.searchParams.get('callback_uri')).toBe(`https://my-space.example.dev:${port}/path/callback`);
    // The forwarded request reaches the local server, on 127.0.0.1 and the port named.
    const callback = new URL(`http://127.0.0.1:${port}/path/callback`);
    callback.searchParams.set('state', loginUrl.searchParams.get('state')!);
    callback.searchParams.set('api_key', ALICE.apiKey);
    callback.searchParams.set('email', ALICE.email);
    expect((await fetch(callback)).status).toBe(200);
    expect(await exited).toBe(0);
    expect((await sandbox.run(['whoami'])).stdout).toBe(`${ALICE.email}\n`);
  });
});

describe('login when the browser cannot be opened', () => {
  untracked();

  it.each([
    ['/nonexistent/browser', 'Could not open a browser (/nonexistent/browser: ENOENT)'],
    ['false', 'Could not open a browser (false exited with code 1)'],
    ['"unterminated', 'Could not open a browser (BROWSER cannot be read'],
  ])('BROWSER=%s: says so at once, and keeps waiting for the URL to be opened by hand', async (browser, said) => {
    const login = sandbox.spawn(['login', '--timeout', '20'], { BROWSER: browser });
    let stderr = '';
    let stdout = '';
    login.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    login.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => login.on('exit', resolve));
    await pollUntil(() => (stderr.includes(said) ? true : undefined), 10_000, 'the failure to be said');
    expect(login.exitCode).toBeNull(); // still waiting
    // Opened by hand: the printed URL, followed as a browser would.
    const printed = /^ {2}(\S+)$/m.exec(stderr)![1];
    await fetch(printed);
    expect(await exited).toBe(0);
    expect(stdout).toContain(`Logged in as ${ALICE.email}`);
  });
});

describe('shell completion', () => {
  untracked();

  it('arcade completion bash completes commands, subcommands and options, from the registered commands', async () => {
    const script = await sandbox.run(['completion', 'bash']);
    expect(script).toExitWith(0);
    for (const word of ['server', 'usage', '--json']) expect(script.stdout).toContain(word);
    // Sourced in bash (non-interactively), as a shell would on <TAB>.
    const scriptFile = join(sandbox.root, 'arcade.bash');
    writeFileSync(scriptFile, script.stdout);
    const complete = async (line: string) => {
      const { stdout } = await promisify(execFile)('bash', [
        '--norc',
        '--noprofile',
        '-c',
        'source "$1"; COMP_WORDS=("${@:2}"); COMP_CWORD=$(($# - 2)); _arcade_completions; echo "${COMPREPLY[*]}"',
        'bash',
        scriptFile,
        ...line.split(' '),
      ]);
      return stdout.trim();
    };
    expect(await complete('arcade se')).toBe('server');
    expect(await complete('arcade usage ')).toBe('disable enable flush log status');
    expect(await complete('arcade worker rm w1 --d')).toBe('--deregister');
    expect(await complete('arcade login --t')).toBe('--timeout');
  });

  /** A fresh user's home with arcade on PATH (a wrapper around the built CLI) and the script installed as the README says. */
  async function installFor(shell: 'zsh' | 'fish') {
    const home = join(sandbox.root, `${shell}-home`);
    const bin = join(sandbox.root, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'arcade'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
    const script = await sandbox.run(['completion', shell]);
    expect(script).toExitWith(0);
    const target =
      shell === 'zsh' ? join(home, '.zfunc', '_arcade') : join(home, '.config', 'fish', 'completions', 'arcade.fish');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, script.stdout);
    if (shell === 'zsh')
      writeFileSync(join(home, '.zshrc'), 'fpath=(~/.zfunc $fpath)\nautoload -Uz compinit && compinit -u\nPS1="ready> "\n');
    return { HOME: home, PATH: `${bin}:/usr/bin:/bin`, XDG_CONFIG_HOME: join(home, '.config'), ARCADE_USAGE_TRACKING: '0' };
  }

  /** Whether a program is installed; `.ci/run` installs zsh, fish and tmux from Debian when they are missing. */
  const installed = (program: string) => (process.env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, program)));

  it('zsh completes `arcade se` on the first TAB of a new shell (in a real terminal, tmux)', async () => {
    if (!installed('zsh') || !installed('tmux')) {
      console.warn('zsh completion not tried: zsh or tmux is not installed (.ci/run installs them)');
      return;
    }
    const env = await installFor('zsh');
    const socket = `arcade-test-${process.pid}`;
    const tmux = (...args: string[]) => promisify(execFile)('tmux', ['-L', socket, ...args]);
    const screen = async () => (await tmux('capture-pane', '-p', '-t', 't')).stdout;
    await tmux(
      'new-session',
      '-d',
      '-s',
      't',
      '-x',
      '120',
      '-y',
      '20',
      'env',
      '-i',
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      'TERM=xterm',
      'zsh',
      '-i',
    );
    try {
      await pollUntil(async () => ((await screen()).includes('ready>') ? true : undefined), 10_000, 'the zsh prompt');
      await tmux('send-keys', '-t', 't', 'arcade se', 'Tab');
      await pollUntil(
        async () => ((await screen()).includes('ready> arcade server') ? true : undefined),
        10_000,
        'the completion',
      );
      await tmux('send-keys', '-t', 't', 'C-u', 'arcade completion ', 'Tab');
      await pollUntil(async () => (/bash\s+fish\s+zsh/.test(await screen()) ? true : undefined), 10_000, 'the shells');
    } finally {
      await tmux('kill-server');
    }
  });

  it('fish completes commands, options only where a command takes them, and the shell names', async () => {
    if (!installed('fish')) {
      console.warn('fish completion not tried: fish is not installed (.ci/run installs it)');
      return;
    }
    const env = await installFor('fish');
    const complete = async (line: string) =>
      (await promisify(execFile)('fish', ['-c', `complete -C '${line}'`], { env })).stdout.trim().split('\n');
    expect(await complete('arcade se')).toEqual(['server']);
    expect(await complete('arcade usage enable ')).toEqual(['--help', '--json']);
    expect(await complete('arcade completion ')).toEqual(['bash', 'fish', 'zsh', '--help']);
  });

  it('refuses another shell as a usage error', async () => {
    const result = await sandbox.run(['completion', 'powershell']);
    expect(result).toExitWith(2);
    expect(result.stderr).toBe('completion takes bash, zsh or fish, not "powershell".\n');
  });
});

describe('feedback while waiting', () => {
  untracked();

  it('with stderr not a terminal, no spinner and no colour anywhere in the output', async () => {
    const outputs: string[] = [];
    const keep = (result: { stdout: string; stderr: string }) => outputs.push(result.stdout, result.stderr);
    keep(await sandbox.run(['login', '--timeout', '20']));
    keep(await sandbox.run(['usage', 'flush']));
    keep(await sandbox.run(['server', 'list', '--engine-url', `http://127.0.0.1:${await freePort()}`]));
    keep(await sandbox.run(['server', 'logs', 'ghost']));
    keep(await sandbox.run(['whoamii']));
    expect(outputs.join('')).toContain('Logged in as');
    expect(outputs.join('')).not.toMatch(/[\u2800-\u28ff]/); // the spinner's frames
    expect(outputs.join('')).not.toContain('\u001b['); // escape sequences: colour, line clearing
  });
});
