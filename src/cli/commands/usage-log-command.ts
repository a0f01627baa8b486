import { Command, Option } from 'clipanion';
import { TrackedCommand } from '../tracked-command.js';

export class UsageLogCommand extends TrackedCommand {
  static override paths = [['usage', 'log']];
  static override usage = Command.Usage({
    description: 'Show the last usage events that were actually sent (up to 100)',
    details: 'Kept locally in .arcade/usage-log.json, exactly as PostHog received them. `--json` prints them in full.',
  });

  json = Option.Boolean('--json', false, { description: 'Print a JSON array with every property' });

  protected async run(): Promise<number> {
    const records = await this.context.app.usageLog.execute();
    const { stdout } = this.context;
    if (this.json) {
      const body = records.map(({ message, deliveredAt }) => ({
        delivered_at: deliveredAt,
        uuid: message.uuid,
        event: message.event,
        distinct_id: message.distinctId,
        timestamp: message.timestamp,
        properties: message.properties,
      }));
      stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return 0;
    }
    if (records.length === 0) {
      stdout.write('No usage events have been sent from this machine (or since `arcade usage disable`).\n');
      return 0;
    }
    for (const { message, deliveredAt } of records) {
      const detail =
        message.event === '$create_alias'
          ? `${String(message.properties.alias)} -> ${message.distinctId}`
          : `${String(message.properties.command_name ?? '')} as ${message.distinctId}${message.properties.$process_person_profile === false ? ' (anonymous)' : ''}`;
      stdout.write(`${deliveredAt}  ${message.event.padEnd(23)}  ${detail}\n`);
    }
    return 0;
  }
}
