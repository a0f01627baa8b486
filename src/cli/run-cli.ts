/** One CLI invocation: the commands, parsed by Clipanion, over the use cases the composition root builds. */
import { Cli } from 'clipanion';
import { COMMANDS } from './commands/index.js';
import { buildUseCases, commandAdapters, providedValues } from './composition-root.js';
import { USE_CASES } from './use-cases.js';
import { helpFor, usageErrorLine } from './help.js';
import type { CliConfig } from './config.js';
import type { CliContext } from './context.js';

export interface Io {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Runs one CLI invocation; resolves to the exit code. Parse errors go to stderr with exit 2. */
export async function runCli(argv: string[], config: CliConfig, version: string, entryScript: string, io: Io): Promise<number> {
  const cli = new Cli<CliContext>({
    binaryName: 'arcade',
    binaryLabel: 'Arcade CLI',
    binaryVersion: version,
    enableColors: false,
  });
  for (const command of COMMANDS) cli.register(command);
  // Help is answered before anything is wired: `--help` builds no container.
  const help = helpFor(cli, COMMANDS, argv);
  if (help !== null) {
    io.stdout.write(help);
    return 0;
  }
  const { useCases, clock } = buildUseCases(
    USE_CASES,
    providedValues(config, version),
    commandAdapters(config, entryScript, io.stderr),
  );
  const context = {
    ...Cli.defaultContext,
    ...io,
    colorDepth: 1,
    app: useCases,
    clock,
    homeDir: config.homeDir,
    stateDir: config.stateDir,
    engineUrl: config.engineUrl,
    cloudUrl: config.cloudUrl,
    debug: config.debug,
  } as CliContext;
  let command;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    // A usage error: one line, exit 2, not tracked (the command never ran).
    io.stderr.write(`${usageErrorLine(cli, COMMANDS, argv, error)}\n`);
    return 2;
  }
  return cli.run(command, context);
}
