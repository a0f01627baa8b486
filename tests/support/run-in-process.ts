/** Runs commands in this process through Clipanion, over the in-memory application, as the CLI would over the real one. */
import { PassThrough, type Readable } from 'node:stream';
import { Cli, type CommandClass } from 'clipanion';
import type { CliContext } from '../../src/cli/context.js';
import type { MemoryApp } from './memory-app.js';

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runInProcess(
  { world, app }: MemoryApp,
  commands: readonly CommandClass<CliContext>[],
  argv: string[],
  options: { stdin?: Readable; debug?: boolean } = {},
): Promise<InProcessRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const cli = new Cli<CliContext>({ binaryName: 'arcade' });
  for (const command of commands) cli.register(command);
  const code = await cli.run(argv, {
    ...Cli.defaultContext,
    ...(options.stdin ? { stdin: options.stdin } : {}),
    stdout,
    stderr,
    app,
    clock: world.clock,
    homeDir: '/home/ann',
    stateDir: '/home/ann/.arcade',
    engineUrl: 'http://engine.example',
    cloudUrl: 'http://cloud.example',
    debug: options.debug ?? false,
  });
  return { code, stdout: out, stderr: err };
}
