import { Command, Option } from 'clipanion';
import { AppError } from '../../domain/errors.js';
import { TrackedCommand } from '../tracked-command.js';

export class WhoamiCommand extends TrackedCommand {
  static override paths = [['whoami']];
  static override usage = Command.Usage({
    description: 'Print the email of the logged-in account',
    details: 'Exit 1 when not logged in, or when the saved credentials cannot be read.',
    examples: [
      ['Print the email', '$0 whoami'],
      ['Print `{loggedIn, email}` (also when not logged in, with exit 1)', '$0 whoami --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print `{loggedIn, email}`' });

  protected async run(): Promise<number> {
    const { stdout } = this.context;
    let email: string;
    try {
      ({ email } = await this.context.app.whoami.execute());
    } catch (error) {
      // A script asking with --json gets an answer on stdout either way; the reason still goes to stderr.
      if (this.json && error instanceof AppError && error.code === 'not-logged-in')
        stdout.write(`${JSON.stringify({ loggedIn: false, email: null })}\n`);
      throw error;
    }
    stdout.write(this.json ? `${JSON.stringify({ loggedIn: true, email })}\n` : `${email}\n`);
    return 0;
  }
}
