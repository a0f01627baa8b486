import { Command, Option } from 'clipanion';
import { EVENT_ALIAS, type WireMessage } from '../../domain/usage-event.js';
import { TrackedCommand } from '../tracked-command.js';
import { jsonText, printable } from '../terminal.js';

export class UsageLogCommand extends TrackedCommand {
  static override paths = [['usage', 'log']];
  static override usage = Command.Usage({
    description: 'Show the last usage events that were actually sent (up to 100)',
    details:
      'Kept locally in .arcade/usage-log.json, each exactly as PostHog received it (aliases included). `--json` prints `[{delivered_at, message}]`, `message` being that object.',
    examples: [
      ['Show what was sent', '$0 usage log'],
      ['Exactly as PostHog received it', '$0 usage log --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print a JSON array with every property' });

  protected async run(): Promise<number> {
    const records = await this.context.app.usageLog.execute();
    const { stdout } = this.context;
    if (this.json) {
      const body = records.map(({ deliveredAt, wire }) => ({ delivered_at: deliveredAt, message: wire }));
      stdout.write(`${jsonText(body, 2)}\n`);
      return 0;
    }
    if (records.length === 0) {
      stdout.write('No usage events have been sent from this machine (or since `arcade usage disable`).\n');
      return 0;
    }
    // What the log file says: its control characters are not the terminal's business.
    for (const { deliveredAt, wire } of records) stdout.write(`${printable(`${deliveredAt}  ${describe(wire)}`)}\n`);
    return 0;
  }
}

/** One line for a message as PostHog received it. */
function describe(wire: WireMessage): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  const properties = (typeof wire.properties === 'object' && wire.properties !== null ? wire.properties : {}) as Record<
    string,
    unknown
  >;
  const event = text(wire.event);
  const distinctId = text(wire.distinct_id);
  if (event === EVENT_ALIAS) return `${event.padEnd(23)}  ${text(properties.alias)} -> ${distinctId}`;
  const anonymous = properties.$process_person_profile === false ? ' (anonymous)' : '';
  return `${event.padEnd(23)}  ${text(properties.command_name)} as ${distinctId}${anonymous}`;
}
