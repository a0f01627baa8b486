/**
 * The shell around the commands: help that answers (`arcade help [COMMAND]`, `arcade GROUP`,
 * `arcade GROUP --help`), named placeholders instead of Clipanion's `#0`, and usage errors in one
 * line (`Unknown command "whoamii". Did you mean "whoami"?`).
 */
import { formatMarkdownish, type Cli, type ColorFormat, type CommandClass } from 'clipanion';
import type { CliContext } from './context.js';
import { HELP_TOPICS } from './help-topics.js';

/** What each option's value is, as help shows it (`--timeout SECONDS`, not `--timeout #0`). */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  '--host': 'HOST',
  '--port': 'PORT',
  '--callback-host': 'HOST',
  '--timeout': 'SECONDS',
  '--engine-url': 'URL',
  '--cloud-url': 'URL',
};

/** Clipanion's usage text with every option's placeholder named. */
export function namedPlaceholders(text: string): string {
  // In an options table the spaces after the placeholder absorb its longer name, so columns stay aligned.
  return text.replace(/(--[a-z-]+) #\d+( *)/g, (_match, name: string, spaces: string) => {
    const placeholder = PLACEHOLDERS[name] ?? 'VALUE';
    const after = spaces.length === 0 ? '' : ' '.repeat(Math.max(1, spaces.length - (placeholder.length - 2)));
    return `${name} ${placeholder}${after}`;
  });
}

type ArcadeCli = Cli<CliContext>;

/** Clipanion's plain-text format: arcade's help has no colours. */
const TEXT: ColorFormat = { header: (text) => text, bold: (text) => text, error: (text) => text, code: (text) => text };

/** Code-point order: for ASCII words, the order Clipanion's `localeCompare(…, 'en')` gives. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The list of commands (`arcade --help`), laid out as Clipanion's `usage(null)` lays it out: by
 * category, general commands first, each sorted by its usage line. Built here because Clipanion
 * sorts with `localeCompare(…, 'en')`, whose first call loads the ICU collation data: a third of
 * what `--help` costs (docs/performance.md), to order a dozen ASCII lines.
 */
function overview(cli: ArcadeCli, commands: Commands): string {
  const categories = new Map<string, { readonly path: string; readonly description: string }[]>();
  for (const command of commands) {
    if (command.usage === undefined) continue;
    const name = command.usage.category?.trim() ?? '';
    const path = cli.usage(command, { prefix: '' }).trimEnd();
    const description = formatMarkdownish(command.usage.description ?? 'undocumented', { format: TEXT, paragraphs: false });
    categories.set(name, [...(categories.get(name) ?? []), { path, description }]);
  }
  let text = `${cli.binaryLabel} - ${cli.binaryVersion}\n\n  $ ${cli.binaryName} <command>\n`;
  for (const name of [...categories.keys()].sort(byText)) {
    text += `\n${name || 'General commands'}\n`;
    for (const { path, description } of categories.get(name)!.sort((a, b) => byText(a.path, b.path)))
      text += `\n  ${path}\n    ${description}`;
  }
  // Clipanion's closing lines, as it wraps them (at 80 columns, the space before the break kept).
  return `${text}\nYou can also print more details about any of these commands by calling them with \nthe \`-h,--help\` flag right after the command name.\n`;
}

/** Below the list of commands: where the rest is. */
const MORE_HELP = `
More help
  arcade help COMMAND        a command's options and examples
  arcade help environment    the environment variables arcade reads
  arcade help exit-codes     what each exit code means
`;

/** Clipanion's words for a missing or extra argument, and ours. */
const ARGUMENT_WORDS: Readonly<Record<string, string>> = {
  id: 'the server ID',
  shell: 'the shell (bash, zsh or fish)',
  org: 'the organization (a name or an ID)',
  project: 'the project (a name or an ID)',
};

/** A reason Clipanion gives, in a user's words. */
function plainReason(reason: string, usage: string): string {
  if (/^Not enough positional arguments/.test(reason)) {
    const name = /<([a-z-]+)>/.exec(usage)?.[1];
    return `Missing ${(name && ARGUMENT_WORDS[name]) ?? 'an argument'}`;
  }
  const extra = /^Extraneous positional argument \("(.*)"\)/.exec(reason);
  if (extra) return `Too many arguments: "${extra[1]}" is one more than it takes`;
  const unknown = /^Unsupported option name \("(.*)"\)/.exec(reason);
  if (unknown) return `Unknown option "${unknown[1]}"`;
  return reason.replace(/\.$/, '');
}

/** The canonical command paths: `server list`, `whoami`. */
function commandPaths(cli: ArcadeCli): string[] {
  return cli.definitions().map((definition) => definition.path.replace(/^arcade /, ''));
}

type Commands = readonly CommandClass<CliContext>[];

/**
 * Each group name (`server`, `usage`, and `worker`, the alias of `server`) with the group it names,
 * from the commands' own paths: asked on every run, so it renders no help.
 */
function groups(commands: Commands): Map<string, string> {
  const names = new Map<string, string>();
  for (const command of commands)
    for (const path of command.paths ?? []) if (path.length > 1) names.set(path[0], command.paths![0][0]);
  return names;
}

/** `arcade GROUP`: the group's commands, each with its one-line description. */
function groupHelp(cli: ArcadeCli, group: string): string {
  const lines = cli
    .definitions()
    .filter((definition) => definition.path.startsWith(`arcade ${group} `))
    .map((definition) => {
      // As the top-level help orders them: the path, the options, then the arguments.
      const options = definition.options.map((option) => `[${option.definition}]`);
      const args = definition.usage.slice(definition.path.length).trim();
      const line = [definition.path, ...options, ...(args ? [args] : [])].join(' ');
      return `  ${line}\n    ${definition.description?.trim() ?? ''}`;
    });
  const alias = group === 'server' ? '\n`arcade worker ...` is an alias of `arcade server ...`.\n' : '';
  return namedPlaceholders(
    `arcade ${group}: ${lines.length} commands\n\n${lines.join('\n\n')}\n${alias}\nRun "arcade ${group} COMMAND --help" for one command's options and examples.\n`,
  );
}

/**
 * The help `argv` asks for, or null when it asks for something else: `arcade`, `arcade help`,
 * `arcade --help`, `arcade help COMMAND`, `arcade COMMAND --help`, `arcade GROUP [--help]`.
 */
export function helpFor(cli: ArcadeCli, commands: Commands, argv: readonly string[]): string | null {
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const words = (argv[0] === 'help' ? argv.slice(1) : argv).filter((arg) => arg !== '--help' && arg !== '-h');
  const bare = argv.length === 0;
  if (!bare && argv[0] !== 'help' && !wantsHelp && !(words.length === 1 && groups(commands).has(words[0]))) return null;
  if (words.length === 0) return `${namedPlaceholders(overview(cli, commands))}${MORE_HELP}`;
  if (words.length === 1 && HELP_TOPICS[words[0]] !== undefined) return HELP_TOPICS[words[0]];
  const group = groups(commands).get(words[0]);
  if (group !== undefined && words.length === 1) return groupHelp(cli, group);
  // The command the words start with (`server enable my-id --help` is `server enable`'s help).
  const typed = [group ?? words[0], ...words.slice(1)].join(' ');
  const command = commands.find((candidate) =>
    candidate.paths?.some((known) => known.length > 0 && `${typed} `.startsWith(`${known.join(' ')} `)),
  );
  return command === undefined ? null : namedPlaceholders(cli.usage(command, { detailed: true }));
}

/** Clipanion's parse failure (its class is not exported): the commands the input came closest to, and why each did not fit. */
interface UnknownSyntax {
  readonly candidates: readonly { readonly usage: string; readonly reason: string | null }[];
}

function isUnknownSyntax(error: unknown): error is UnknownSyntax {
  return (
    error instanceof Error && error.name === 'UnknownSyntaxError' && Array.isArray((error as Partial<UnknownSyntax>).candidates)
  );
}

/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** A parse failure as one line: what is wrong, and where to look. */
export function usageErrorLine(cli: ArcadeCli, commands: Commands, argv: readonly string[], error: unknown): string {
  if (isUnknownSyntax(error)) {
    const reasons = error.candidates.flatMap((candidate) => (candidate.reason === null ? [] : [candidate.reason]));
    const path = error.candidates[0]?.usage.split(/ [[<-]/)[0];
    // A reason is about a command that was found; the bare `arcade` (the default command) was not asked for.
    if (reasons.length > 0 && reasons.length === error.candidates.length && path !== 'arcade')
      return `${plainReason(reasons[0], error.candidates[0].usage)}. Run "${path} --help".`;
    const typed = argv.filter((arg) => !arg.startsWith('-')).slice(0, 2);
    if (typed.length === 0) return `Unknown option "${argv[0] ?? ''}". Run "arcade help" for the list of commands.`;
    const paths = commandPaths(cli);
    const words =
      typed.length > 1 && !paths.includes(typed.join(' ')) && groups(commands).has(typed[0]) ? typed : typed.slice(0, 1);
    const attempt = words.join(' ');
    // The command is known; what it did not take is an option (a global flag before it, say).
    const option = argv.find((arg) => arg.startsWith('-'));
    if (paths.includes(attempt) && option !== undefined)
      return `Unknown option "${option.split('=')[0]}" for "arcade ${attempt}". Run "arcade ${attempt} --help".`;
    const candidates = [...paths, ...groups(commands).keys()];
    const best = candidates
      .map((candidate) => ({ candidate, distance: editDistance(attempt, candidate) }))
      .sort((a, b) => a.distance - b.distance)[0];
    const close = best !== undefined && best.distance <= Math.max(1, Math.floor(attempt.length / 3));
    return `Unknown command "${attempt}".${close ? ` Did you mean "${best.candidate}"?` : ''} Run "arcade help" for the list.`;
  }
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
