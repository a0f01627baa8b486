import { Option } from 'clipanion';
import { jsonText, printable, printableLines, startSpinner } from '../terminal.js';
import { ServerCommand, serverPaths, serverUsage } from './server-command.js';

/** `arcade server logs ID`: follows a server's log stream. */
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
