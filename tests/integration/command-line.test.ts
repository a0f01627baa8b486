/** The shell around the commands: help that answers, and usage errors in one line that are never tracked. */
import { describe, expect, it } from '@jest/globals';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import type { Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

let posthog: FakePosthog;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, sandbox } = world));

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

  it('names each option value: --timeout SECONDS, --engine-url URL', async () => {
    const result = await sandbox.run(['--help']);
    expect(result.stdout).toContain('--timeout SECONDS');
    expect(result.stdout).toContain('--engine-url URL');
  });
});

describe('usage errors', () => {
  it.each([
    [['whoamii'], 'Unknown command "whoamii". Did you mean "whoami"? Run "arcade help" for the list.'],
    [['server', 'lst'], 'Unknown command "server lst". Did you mean "server list"? Run "arcade help" for the list.'],
    [['xyzzy'], 'Unknown command "xyzzy". Run "arcade help" for the list.'],
    [['server', 'enable'], 'Not enough positional arguments. Run "arcade server enable --help".'],
    [['login', '--nope'], 'Unsupported option name ("--nope"). Run "arcade login --help".'],
    [['login', '--timeout', '99999999'], '--timeout must be 1 to 86400 seconds, not "99999999".'],
    [['login', '--timeout', 'abc'], '--timeout must be 1 to 86400 seconds, not "abc".'],
    [['login', '--timeout', '0.5'], '--timeout must be 1 to 86400 seconds, not "0.5".'],
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
    expect(await out(['whoami', '--json'], 1)).toEqual({ loggedIn: false, email: null });
    sandbox.writeCredentials(ALICE.apiKey, ALICE.email);
    expect(await out(['whoami', '--json'], 0)).toEqual({ loggedIn: true, email: ALICE.email });
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
