import { Builtins, Command } from 'clipanion';
import { CompletionCommand } from './completion-command.js';
import { OrgListCommand, OrgSetCommand, ProjectListCommand, ProjectSetCommand } from './context-commands.js';
import { LoginCommand } from './login-command.js';
import { LogoutCommand } from './logout-command.js';
import { UsageDisableCommand, UsageEnableCommand } from './usage-choice-commands.js';
import { UsageFlushCommand } from './usage-flush-command.js';
import { UsageLogCommand } from './usage-log-command.js';
import { UsageStatusCommand } from './usage-status-command.js';
import { WhoamiCommand } from './whoami-command.js';
import { ServerDisableCommand } from './server-disable-command.js';
import { ServerEnableCommand } from './server-enable-command.js';
import { ServerListCommand } from './server-list-command.js';
import { ServerLogsCommand } from './server-logs-command.js';
import { ServerRemoveCommand } from './server-remove-command.js';
import type { CliContext } from '../context.js';

/** `arcade` alone prints the list of commands (help.ts answers it before Clipanion runs anything). */
class DefaultCommand extends Command<CliContext> {
  static override paths = [Command.Default];

  async execute(): Promise<number> {
    this.context.stdout.write(this.cli.usage(null));
    return 0;
  }
}

/** `arcade version`, as gh has it: the same line as `arcade --version`. */
class VersionWordCommand extends Command<CliContext> {
  static override paths = [['version']];
  static override usage = Command.Usage({
    description: 'Print the version of arcade',
    examples: [['Print the version', '$0 version']],
  });

  async execute(): Promise<number> {
    this.context.stdout.write(`${this.cli.binaryVersion ?? ''}\n`);
    return 0;
  }
}

/** Every command, in the order `--help` lists them. The default command comes first: Clipanion lists every command in `--help` only when a documented one follows it. */
export const COMMANDS = [
  DefaultCommand,
  LoginCommand,
  LogoutCommand,
  WhoamiCommand,
  OrgListCommand,
  OrgSetCommand,
  ProjectListCommand,
  ProjectSetCommand,
  UsageStatusCommand,
  UsageEnableCommand,
  UsageDisableCommand,
  UsageFlushCommand,
  UsageLogCommand,
  ServerListCommand,
  ServerEnableCommand,
  ServerDisableCommand,
  ServerRemoveCommand,
  ServerLogsCommand,
  CompletionCommand,
  VersionWordCommand,
  Builtins.HelpCommand,
  Builtins.VersionCommand,
];

/**
 * The commands a run gives Clipanion: those its first word can reach, or every one when none can
 * (`arcade`, a typo) or it is an option (`--help` lists every command). Clipanion builds its
 * parser from every command it is given, on every run: with all of them, a good part of a
 * command's start-up (docs/performance.md). `completion` lists every command, so gets them all.
 */
export function commandsFor(argv: readonly string[]): readonly (typeof COMMANDS)[number][] {
  const word = argv[0]?.startsWith('-') ? undefined : argv[0];
  const reached = COMMANDS.filter((command) => command.paths?.some((path) => path.length > 0 && path[0] === word));
  return reached.length === 0 || reached.includes(CompletionCommand) ? COMMANDS : reached;
}
