import { Command, Option } from 'clipanion';
import type { WorkerRow } from '../../domain/worker.js';
import { TrackedCommand } from '../tracked-command.js';

/** The flags every worker command shares. */
abstract class WorkerCommand extends TrackedCommand {
  engineUrl = Option.String('--engine-url', { description: 'Arcade Engine base URL (default: ARCADE_ENGINE_URL)' });
  cloudUrl = Option.String('--cloud-url', { description: 'Arcade Cloud base URL (default: ARCADE_CLOUD_URL)' });

  protected overrides() {
    return { engineUrl: this.engineUrl, cloudUrl: this.cloudUrl };
  }
}

export class WorkerListCommand extends WorkerCommand {
  static override paths = [['worker', 'list']];
  static override usage = Command.Usage({
    category: 'Workers',
    description: 'List workers: registered in the Engine, deployed in the Cloud, or both',
    details:
      'Joins each Engine worker with the Cloud deployment of the same name. A worker whose Engine and Cloud endpoints differ is flagged with both.',
  });

  json = Option.Boolean('--json', false, { description: 'Print a JSON array' });

  protected async run(): Promise<number> {
    const rows = await this.context.app.listWorkers.execute(this.overrides());
    this.context.stdout.write(this.json ? `${JSON.stringify(rows, null, 2)}\n` : table(rows));
    return 0;
  }
}

/** `worker enable ID` and `worker disable ID` (two classes, so that each has its own help). */
abstract class WorkerSwitchCommand extends WorkerCommand {
  protected abstract readonly enable: boolean;

  id = Option.String({ required: true, name: 'id' });

  protected async run(): Promise<number> {
    await this.context.app.setWorkerEnabled.execute(this.id, this.enable, this.overrides());
    this.context.stdout.write(`${this.enable ? 'Enabled' : 'Disabled'} worker ${this.id}.\n`);
    return 0;
  }
}

export class WorkerEnableCommand extends WorkerSwitchCommand {
  static override paths = [['worker', 'enable']];
  static override usage = Command.Usage({ category: 'Workers', description: 'Enable a worker in the Engine' });
  protected readonly enable = true;
}

export class WorkerDisableCommand extends WorkerSwitchCommand {
  static override paths = [['worker', 'disable']];
  static override usage = Command.Usage({ category: 'Workers', description: 'Disable a worker in the Engine' });
  protected readonly enable = false;
}

export class WorkerRemoveCommand extends WorkerCommand {
  static override paths = [['worker', 'rm']];
  static override usage = Command.Usage({
    category: 'Workers',
    description: 'Remove a worker: its Cloud deployment, then its Engine registration',
    details: 'With `--deregister`, only the Engine registration is removed and the Cloud deployment stays.',
  });

  id = Option.String({ required: true, name: 'id' });
  deregister = Option.Boolean('--deregister', false, { description: 'Only deregister it from the Engine' });

  protected async run(): Promise<number> {
    const removed = await this.context.app.removeWorker.execute(this.id, {
      deregisterOnly: this.deregister,
      ...this.overrides(),
    });
    const parts = [
      removed.cloudDeploymentDeleted && 'Cloud deployment deleted',
      removed.engineDeregistered && 'Engine registration removed',
    ].filter(Boolean);
    this.context.stdout.write(`Removed worker ${this.id} (${parts.join(', ')}).\n`);
    return 0;
  }
}

/** A plain-text table; a mismatched endpoint shows both values, marked with `!=`. */
export function table(rows: readonly WorkerRow[]): string {
  if (rows.length === 0) return 'No workers.\n';
  const header = ['ID', 'ENABLED', 'ENGINE', 'CLOUD', 'ENDPOINT', 'TOOLKITS'];
  const lines = rows.map((row) => [
    row.id,
    row.engineRegistered ? (row.enabled ? 'yes' : 'no') : '-',
    row.engineRegistered ? 'registered' : '-',
    row.cloudDeployed ? 'deployed' : '-',
    row.endpointMismatch ? `${row.endpoint} != cloud ${row.cloudEndpoint} (MISMATCH)` : (row.endpoint ?? '-'),
    row.toolkits.join(', ') || '-',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  return (
    [header, ...lines]
      .map((cells) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '))
      .join('\n') + '\n'
  );
}
