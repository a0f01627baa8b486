/** One CLI invocation: the commands, parsed by Clipanion, over the use cases the composition root builds. */
import { Cli, type Command } from 'clipanion';
import { COMMANDS, commandsFor } from './commands/index.js';
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
  const commands = commandsFor(argv);
  const cli = cliOf(commands, version);
  // Help is answered before anything is wired: `--help` builds no container.
  const help = helpFor(cli, commands, argv);
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
  let parsed = parse(cli, argv, context);
  // Given only the commands its first word reaches, a run that does not parse is parsed again
  // against every command, so the error names the nearest of them all.
  if ('error' in parsed && commands !== COMMANDS) parsed = parse(cliOf(COMMANDS, version), argv, context);
  if ('error' in parsed) {
    // A usage error: one line, exit 2, not tracked (the command never ran).
    io.stderr.write(`${usageErrorLine(parsed.cli, COMMANDS, argv, parsed.error)}\n`);
    return 2;
  }
  return parsed.cli.run(parsed.command, context);
}

type Parsed = { readonly cli: Cli<CliContext> } & ({ readonly command: Command<CliContext> } | { readonly error: unknown });

function parse(cli: Cli<CliContext>, argv: string[], context: CliContext): Parsed {
  try {
    return { cli, command: cli.process(argv, context) };
  } catch (error) {
    // Parsing runs nothing: whatever Clipanion throws here is the input not fitting any command.
    return { cli, error };
  }
}

function cliOf(commands: readonly (typeof COMMANDS)[number][], version: string): Cli<CliContext> {
  const cli = new Cli<CliContext>({
    binaryName: 'arcade',
    binaryLabel: 'Arcade CLI',
    binaryVersion: version,
    enableColors: false,
  });
  for (const command of commands) cli.register(command);
  return cli;
}
