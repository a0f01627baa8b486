import { Command } from 'clipanion';
import { printable } from '../terminal.js';
import { TrackedCommand } from '../tracked-command.js';

export class LogoutCommand extends TrackedCommand {
  static override paths = [['logout']];
  static override readonly changesCredentials = true;
  static override usage = Command.Usage({
    description: 'Log out of Arcade Cloud (deletes the saved credentials)',
    examples: [['Log out', '$0 logout']],
  });

  protected async run(): Promise<number> {
    const outcome = await this.context.app.logout.execute();
    if (outcome.kind === 'environment-key') {
      this.context.stdout.write(
        `${outcome.removedFile ? 'Removed the saved credentials. ' : ''}Commands still use the API key in ARCADE_API_KEY: unset it to log out.\n`,
      );
      return 0;
    }
    if (outcome.kind === 'not-logged-in') {
      this.context.stdout.write('You were not logged in.\n');
      return 0;
    }
    this.context.stdout.write(outcome.email ? `Logged out (${printable(outcome.email)}).\n` : 'Logged out.\n');
    return 0;
  }
}
