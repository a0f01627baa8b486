import { Command } from 'clipanion';
import { TrackedCommand } from '../tracked-command.js';

export class WhoamiCommand extends TrackedCommand {
  static override paths = [['whoami']];
  static override usage = Command.Usage({ description: 'Print the email of the logged-in account' });

  protected async run(): Promise<number> {
    const { email } = await this.context.app.whoami.execute();
    this.context.stdout.write(`${email}\n`);
    return 0;
  }
}
