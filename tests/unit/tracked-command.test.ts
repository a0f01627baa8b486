/** The CLI edge: how failures are reported, and that tracking never changes a command's outcome. */
import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { Cli } from 'clipanion';
import type { CliContext } from '../../src/cli/context.js';
import { TrackedCommand } from '../../src/cli/tracked-command.js';
import { memoryApp } from '../support/memory-app.js';

class BuggyCommand extends TrackedCommand {
  static override paths = [['buggy']];
  protected async run(): Promise<number> {
    throw new TypeError('cannot read properties of undefined');
  }
}

class DiskCommand extends TrackedCommand {
  static override paths = [['disk']];
  protected async run(): Promise<number> {
    throw Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
      code: 'EISDIR',
      syscall: 'read',
      path: '/x/.arcade/usage.json',
    });
  }
}

async function run(argv: string[], debug: boolean): Promise<{ code: number; stderr: string; events: number }> {
  const { world, app } = memoryApp();
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const cli = new Cli<CliContext>({ binaryName: 'arcade' });
  cli.register(BuggyCommand);
  cli.register(DiskCommand);
  const context = {
    ...Cli.defaultContext,
    stdout: new PassThrough(),
    stderr,
    app,
    clock: world.clock,
    homeDir: '/home/ann',
    debug,
  };
  const code = await cli.run(argv, context);
  return { code, stderr: text, events: world.outbox.messages().length };
}

describe('TrackedCommand', () => {
  it('says an unexpected error is a bug, in one line, and shows the stack only with ARCADE_DEBUG=1', async () => {
    const plain = await run(['buggy'], false);
    expect(plain.code).toBe(1);
    expect(plain.stderr.split('\n')[0]).toBe(
      'Internal error (a bug in arcade): cannot read properties of undefined. Run with ARCADE_DEBUG=1 to see where it happened.',
    );
    expect(plain.stderr).not.toContain('    at ');
    expect(plain.events).toBe(1);
    expect((await run(['buggy'], true)).stderr).toContain('    at ');
  });

  it('reports a file-system failure as the state of a file, not a bug', async () => {
    const result = await run(['disk'], false);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      'Cannot read /x/.arcade/usage.json: EISDIR. Check that file, or run with ARCADE_DEBUG=1 for details.',
    );
  });
});
