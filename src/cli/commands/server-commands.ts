import { Command, Option, UsageError } from 'clipanion';
import type { ApiTarget } from '../../domain/ports/engine-workers.js';
import type { WorkerRow } from '../../domain/worker.js';
import { checkedUrl } from '../config.js';
import { jsonText, paint, printable, printableLines, startSpinner, withSpinner } from '../terminal.js';
import { renderTable, tableWidth, type Column } from '../table.js';
import { TrackedCommand } from '../tracked-command.js';

/**
 * `arcade server ...`, the Python Arcade CLI's `worker.py` commands. Each is also reachable as
 * `arcade worker ...` (the group's name before it was renamed), with identical behaviour; events
 * always name the canonical `server.*` path (TrackedCommand reports a command's first path).
 */
abstract class ServerCommand extends TrackedCommand {
  cloudUrl = Option.String('--cloud-url', { description: 'Arcade Cloud base URL (default: ARCADE_CLOUD_URL)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  /** The Cloud to call, checked: a malformed URL is a usage error naming the flag or variable. */
  protected cloud(): ApiTarget {
    return this.cloudUrl === undefined
      ? { url: checkedUrl(this.context.cloudUrl, 'ARCADE_CLOUD_URL'), setting: 'ARCADE_CLOUD_URL' }
      : { url: checkedUrl(this.cloudUrl, '--cloud-url'), setting: '--cloud-url' };
  }

  /** An Arcade API call, with a spinner naming the hosts it waits for once it has taken 300 ms (in a terminal). */
  protected calling<T>(targets: readonly ApiTarget[], work: () => Promise<T>): Promise<T> {
    return withSpinner(this.context.stderr, this.context.env, waitingFor(targets), work, 300);
  }

  protected print(json: unknown, text: string): void {
    this.context.stdout.write(this.json ? `${jsonText(json, 2)}\n` : text);
  }
}

/** A server command that calls the Engine too. */
abstract class EngineServerCommand extends ServerCommand {
  engineUrl = Option.String('--engine-url', { description: 'Arcade Engine base URL (default: ARCADE_ENGINE_URL)' });

  protected engine(): ApiTarget {
    return this.engineUrl === undefined
      ? { url: checkedUrl(this.context.engineUrl, 'ARCADE_ENGINE_URL'), setting: 'ARCADE_ENGINE_URL' }
      : { url: checkedUrl(this.engineUrl, '--engine-url'), setting: '--engine-url' };
  }
}

/** A spinner's label: `Waiting for api.arcade.dev and cloud.arcade.dev`. */
function waitingFor(targets: readonly ApiTarget[]): string {
  const hosts = [...new Set(targets.map((target) => (URL.canParse(target.url) ? new URL(target.url).host : target.url)))];
  return `Waiting for ${printable(hosts.join(' and '))}`;
}

/** Both spellings of a server command: `server NAME` first (the canonical path events name), then the `worker NAME` alias. */
const serverPaths = (name: string) => [
  ['server', name],
  ['worker', name],
];

/** A server command's help: in the Servers category, its details ending with the alias. */
function serverUsage(name: string, usage: { description: string; details?: string; examples: [string, string][] }) {
  const alias = `Also available as \`arcade worker ${name}\`.`;
  return Command.Usage({ category: 'Servers', ...usage, details: usage.details ? `${usage.details} ${alias}` : alias });
}

export class ServerListCommand extends EngineServerCommand {
  static override paths = serverPaths('list');
  static override usage = serverUsage('list', {
    description: 'List servers (workers): registered in the Engine, deployed in the Cloud, or both',
    details: `Joins each server registered in the Engine with the Cloud deployment of the same name. A server whose Engine and Cloud endpoints differ is flagged MISMATCH, with both.`,
    examples: [
      ['List your servers', '$0 server list'],
      ['Against another Engine, as JSON', '$0 server list --engine-url https://engine.example.com --json'],
    ],
  });

  protected async run(): Promise<number> {
    const targets = { engine: this.engine(), cloud: this.cloud() };
    const rows = await this.calling([targets.engine, targets.cloud], () => this.context.app.listWorkers.execute(targets));
    const { stdout, env } = this.context;
    this.print(
      rows,
      table(rows, tableWidth(stdout), (warning) => paint(stdout, env, 'yellow', warning)),
    );
    return 0;
  }
}

/** `server enable ID` and `server disable ID` (two classes, so that each has its own help). */
abstract class ServerSwitchCommand extends EngineServerCommand {
  protected abstract readonly enable: boolean;

  id = Option.String({ required: true, name: 'id' });

  protected async run(): Promise<number> {
    const engine = this.engine();
    await this.calling([engine], () => this.context.app.setWorkerEnabled.execute(this.id, this.enable, engine));
    this.print({ id: this.id, enabled: this.enable }, `${this.enable ? 'Enabled' : 'Disabled'} server ${printable(this.id)}.\n`);
    return 0;
  }
}

export class ServerEnableCommand extends ServerSwitchCommand {
  static override paths = serverPaths('enable');
  static override usage = serverUsage('enable', {
    description: 'Enable a server in the Engine',
    examples: [['Enable my-server', '$0 server enable my-server']],
  });
  protected readonly enable = true;
}

export class ServerDisableCommand extends ServerSwitchCommand {
  static override paths = serverPaths('disable');
  static override usage = serverUsage('disable', {
    description: 'Disable a server in the Engine',
    examples: [['Disable my-server', '$0 server disable my-server']],
  });
  protected readonly enable = false;
}

export class ServerRemoveCommand extends EngineServerCommand {
  static override paths = serverPaths('rm');
  static override usage = serverUsage('rm', {
    description: 'Remove a server: its Cloud deployment, then its Engine registration',
    details: `With no Cloud deployment, nothing is removed (use \`--deregister\` to remove the Engine registration alone). In a terminal it asks first; where it cannot ask (stdin not a terminal) it refuses, exit 2. \`--yes\` removes without asking. Answering no exits 3.`,
    examples: [
      ['Remove my-server, asking first', '$0 server rm my-server'],
      ['Deregister it from the Engine only, without asking', '$0 server rm my-server --deregister --yes'],
    ],
  });

  id = Option.String({ required: true, name: 'id' });
  deregister = Option.Boolean('-d,--deregister', false, { description: 'Only deregister it from the Engine' });
  yes = Option.Boolean('-y,--yes', false, { description: 'Do not ask for confirmation' });

  protected async run(): Promise<number> {
    const { stdin, stderr, env } = this.context;
    // Off a terminal nothing can be asked: a destructive command then needs --yes, as with gh.
    if (!this.yes && !(stdin as { isTTY?: boolean }).isTTY)
      throw new UsageError(
        `Not removing server ${printable(this.id)}: arcade cannot ask for confirmation (stdin is not a terminal). Run it again with --yes to remove it.`,
      );
    const question = this.deregister
      ? `Deregister server ${this.id} from the Engine? [y/N] `
      : `Remove server ${this.id} from Arcade Cloud and the Engine? [y/N] `;
    const targets = { engine: this.engine(), cloud: this.cloud() };
    let spinner = startSpinner(stderr, env, waitingFor([targets.engine, targets.cloud]), 300);
    const removed = await this.context.app.removeWorker
      .execute(this.id, {
        deregisterOnly: this.deregister,
        targets,
        confirm: async () => {
          if (this.yes) return true;
          spinner.stop(); // the question needs the line
          const yes = await ask(stdin, stderr, question);
          spinner = startSpinner(stderr, env, waitingFor([targets.engine, targets.cloud]), 300);
          return yes;
        },
      })
      .finally(() => spinner.stop());
    const what = removed.cloudDeploymentDeleted
      ? removed.engineDeregistered
        ? 'Cloud deployment deleted, Engine registration removed'
        : 'Cloud deployment deleted; the Engine had no registration'
      : 'Engine registration removed';
    this.print({ id: this.id, ...removed }, `Removed server ${printable(this.id)} (${what}).\n`);
    return 0;
  }
}

export class ServerLogsCommand extends ServerCommand {
  static override paths = serverPaths('logs');
  static override usage = serverUsage('logs', {
    description: "Stream a server's logs until it ends them",
    details: `Prints each log line as it arrives. A dropped connection is resumed where it left off. With \`--json\`, one \`{id, data}\` object per line.`,
    examples: [
      ['Follow my-server', '$0 server logs my-server'],
      ['One JSON object per line', '$0 server logs my-server --json'],
    ],
  });

  id = Option.String({ required: true, name: 'id' });

  protected async run(): Promise<number> {
    const { stdout, stderr, env } = this.context;
    // Until the first line (or the end): connecting.
    let connecting = startSpinner(stderr, env, `Connecting to the logs of ${this.id}`);
    try {
      await this.context.app.streamWorkerLogs.execute(this.id, {
        cloud: this.cloud(),
        print: (event) => {
          connecting.stop();
          stdout.write(this.json ? `${jsonText({ id: event.id, data: event.data })}\n` : `${printableLines(event.data)}\n`);
        },
        notice: (line) => {
          connecting.stop();
          stderr.write(`${printable(line)}\n`);
          connecting = startSpinner(stderr, env, `Reconnecting to the logs of ${this.id}`);
        },
      });
    } finally {
      connecting.stop();
    }
    return 0;
  }
}

/** Asks a yes/no question on the terminal; only `y` or `yes` is a yes. */
async function ask(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, question: string): Promise<boolean> {
  // Loaded only when a question is asked: every other command would pay for it.
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input, output, terminal: false });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

const SERVER_COLUMNS: readonly Column[] = [
  { title: 'ID', shrinks: true },
  { title: 'ENABLED' },
  { title: 'ENGINE' },
  { title: 'CLOUD' },
  { title: 'ENDPOINT', shrinks: true },
  { title: 'TOOLKITS', shrinks: true },
];

/**
 * The servers as a table (see table.ts: fitted to a terminal, tab-separated to a pipe); a
 * mismatched endpoint shows both values, marked `MISMATCH` (coloured by `warn` on a terminal).
 * Names, endpoints and toolkits come from the servers: shown with their control characters replaced.
 */
export function table(
  rows: readonly WorkerRow[],
  columns: number | null,
  warn: (text: string) => string = (text) => text,
): string {
  if (rows.length === 0) return columns === null ? '' : 'No servers.\n';
  const cells = rows.map((row) => [
    printable(row.id),
    row.engineRegistered ? (row.enabled ? 'yes' : 'no') : '-',
    row.engineRegistered ? 'registered' : '-',
    row.cloudDeployed ? 'deployed' : '-',
    row.endpointMismatch
      ? `MISMATCH: ${printable(row.endpoint ?? '')} != cloud ${printable(row.cloudEndpoint ?? '')}`
      : printable(row.endpoint ?? '-'),
    printable(row.toolkits.join(', ')) || '-',
  ]);
  // Coloured after fitting, so the escape codes count for no width and are never cut.
  return renderTable(SERVER_COLUMNS, cells, columns).replaceAll('MISMATCH:', `${warn('MISMATCH')}:`);
}
