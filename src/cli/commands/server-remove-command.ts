import { Option, UsageError } from 'clipanion';
import { printable, startSpinner } from '../terminal.js';
import { EngineServerCommand, serverPaths, serverUsage, waitingFor } from './server-command.js';

/** `arcade server rm ID`: asks first on a terminal, refuses without --yes where it cannot ask. */
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
