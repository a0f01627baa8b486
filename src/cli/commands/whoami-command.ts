import { Command, Option } from 'clipanion';
import type { WhoamiReport } from '../../application/whoami.js';
import { AppError } from '../../domain/errors.js';
import { jsonText, printable } from '../terminal.js';
import { TrackedCommand } from '../tracked-command.js';

export class WhoamiCommand extends TrackedCommand {
  static override paths = [['whoami']];
  static override usage = Command.Usage({
    description: 'Print the email of the logged-in account',
    details:
      'With an OAuth login (today’s `arcade login`), also the active organization and project. Exit 1 when not logged in, or when the saved credentials cannot be read.',
    examples: [
      ['Print the email', '$0 whoami'],
      ['Print `{loggedIn, email, organization, project}` (also when not logged in, with exit 1)', '$0 whoami --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print `{loggedIn, email, organization, project}`' });

  protected async run(): Promise<number> {
    const { stdout } = this.context;
    let report: WhoamiReport;
    try {
      report = await this.context.app.whoami.execute();
    } catch (error) {
      // A script asking with --json gets an answer on stdout either way; the reason still goes to stderr.
      if (this.json && error instanceof AppError && error.code === 'not-logged-in')
        stdout.write(`${jsonText({ loggedIn: false, email: null, organization: null, project: null }, 2)}\n`);
      throw error;
    }
    const { email, context } = report;
    if (this.json) {
      const organization = context && { id: context.orgId, name: context.orgName };
      const project = context && { id: context.projectId, name: context.projectName };
      const source = report.maskedKey === null ? {} : { apiKeyFrom: 'ARCADE_API_KEY' };
      stdout.write(`${jsonText({ loggedIn: true, email, organization, project, ...source }, 2)}\n`);
      return 0;
    }
    const lines = [email === null ? `Logged in with the API key in ARCADE_API_KEY (${report.maskedKey}).` : printable(email)];
    if (context) {
      lines.push(`Organization: ${printable(context.orgName)} (${printable(context.orgId)})`);
      lines.push(`Project:      ${printable(context.projectName)} (${printable(context.projectId)})`);
    }
    stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
}
