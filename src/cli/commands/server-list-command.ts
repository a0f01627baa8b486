import type { WorkerRow } from '../../domain/worker.js';
import { paint, printable } from '../terminal.js';
import { renderTable, tableWidth, type Column } from '../table.js';
import { EngineServerCommand, serverPaths, serverUsage } from './server-command.js';

/** `arcade server list`: the servers as a table, fitted to the terminal, or JSON. */
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
