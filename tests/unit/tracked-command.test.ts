/** The CLI edge: how failures are reported, and that tracking never changes a command's outcome. */
import { describe, expect, it } from '@jest/globals';
import { UsageError } from 'clipanion';
import { AppError, id, text } from '../../src/domain/errors.js';
import { TrackedCommand } from '../../src/cli/tracked-command.js';
import { memoryApp } from '../support/memory-app.js';
import { runInProcess } from '../support/run-in-process.js';

class BuggyCommand extends TrackedCommand {
  static override paths = [['buggy']];
  protected async run(): Promise<number> {
    throw new TypeError('cannot read properties of undefined');
  }
}

class FullDiskCommand extends TrackedCommand {
  static override paths = [['full']];
  protected async run(): Promise<number> {
    throw Object.assign(new Error('ENOSPC: no space left on device, rename'), {
      code: 'ENOSPC',
      syscall: 'rename',
      path: '/home/ann/.arcade/usage.json',
    });
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

class MissingCommand extends TrackedCommand {
  static override paths = [['missing']];
  protected async run(): Promise<number> {
    throw new AppError('not-found', text`Server "${id('zq-secret-7781')}" not found.`);
  }
}

class BadValueCommand extends TrackedCommand {
  static override paths = [['bad-value']];
  protected async run(): Promise<number> {
    throw new UsageError('--timeout must be 1 to 86400 seconds, not "zq-secret-7781".');
  }
}

async function run(
  argv: string[],
  debug: boolean,
): Promise<{ code: number; stderr: string; events: number; properties: Record<string, unknown> | undefined }> {
  const memory = memoryApp();
  const { code, stderr } = await runInProcess(
    memory,
    [BuggyCommand, DiskCommand, FullDiskCommand, MissingCommand, BadValueCommand],
    argv,
    {
      debug,
    },
  );
  const events = memory.world.outbox.messages();
  return { code, stderr, events: events.length, properties: events[0]?.properties };
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
    // Its text may hold anything: the event carries the class name only.
    expect(plain.properties).toMatchObject({ error_code: 'internal', error_message: 'TypeError' });
    expect((await run(['buggy'], true)).stderr).toContain('    at ');
  });

  it('reports a file-system failure as the state of a file, not a bug', async () => {
    const result = await run(['disk'], false);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      'Cannot read /x/.arcade/usage.json: it is a directory (EISDIR). Check that file, or run with ARCADE_DEBUG=1 for details.',
    );
    expect(result.properties).toMatchObject({
      error_code: 'file-system',
      error_message: 'Cannot read <path>: it is a directory (EISDIR). Check that file, or run with ARCADE_DEBUG=1 for details.',
    });
    // In the state directory, the directory is what to check, and ARCADE_WORK_DIR what to change.
    const full = await run(['full'], false);
    expect(full.stderr.split('\n')[0]).toBe(
      'Cannot write /home/ann/.arcade/usage.json: the disk is full (ENOSPC). Check /home/ann/.arcade and the directory it is in, or set ARCADE_WORK_DIR to a directory arcade can write.',
    );
  });

  it('shows the user the value, and sends its placeholder', async () => {
    const result = await run(['missing'], false);
    expect(result.stderr.split('\n')[0]).toBe('Server "zq-secret-7781" not found.');
    expect(result.properties).toMatchObject({ error_code: 'not-found', error_message: 'Server "<id>" not found.' });
  });

  it('does not track a usage error (exit 2): the command never ran', async () => {
    const result = await run(['bad-value'], false);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('zq-secret-7781');
    expect(result.events).toBe(0);
  });
});
