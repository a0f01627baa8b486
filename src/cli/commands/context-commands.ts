import { Command, Option } from 'clipanion';
import type { Listed } from '../../application/account-context.js';
import type { ArcadeContext } from '../../domain/principal.js';
import { jsonText, printable, withSpinner } from '../terminal.js';
import { renderTable, tableWidth, type Column } from '../table.js';
import { TrackedCommand } from '../tracked-command.js';

/**
 * `arcade org list|set ORG` and `arcade project list|set PROJECT`: the active organization and
 * project of an OAuth login, as the Python Arcade CLI keeps them in `credentials.yaml`
 * (`cloud.context`). Events name them `org.list`, `project.set`, ...
 */
const CONTEXT_COLUMNS: readonly Column[] = [{ title: '' }, { title: 'ID', shrinks: true }, { title: 'NAME', shrinks: true }];

abstract class ContextCommand extends TrackedCommand {
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  protected calling<T>(work: () => Promise<T>): Promise<T> {
    return withSpinner(this.context.stderr, this.context.env, 'Waiting for Arcade Cloud', work, 300);
  }

  protected list(rows: Listed<{ id: string; name: string }>[], empty: string): void {
    if (this.json) {
      this.context.stdout.write(
        `${jsonText(
          rows.map(({ item, active }) => ({ id: item.id, name: item.name, active })),
          2,
        )}\n`,
      );
      return;
    }
    const columns = tableWidth(this.context.stdout);
    if (rows.length === 0) {
      if (columns !== null) this.context.stdout.write(`${empty}\n`);
      return;
    }
    // On a terminal the active one is marked with *; to a pipe each row is `id<TAB>name<TAB>active|`.
    const cells = rows.map(({ item, active }) =>
      columns === null
        ? [printable(item.id), printable(item.name), active ? 'active' : '']
        : [active ? '*' : '', printable(item.id), printable(item.name)],
    );
    this.context.stdout.write(renderTable(CONTEXT_COLUMNS, cells, columns));
  }

  protected saidActive(context: ArcadeContext): void {
    this.context.stdout.write(
      this.json
        ? `${jsonText({ organization: { id: context.orgId, name: context.orgName }, project: { id: context.projectId, name: context.projectName } }, 2)}\n`
        : `Active organization: ${printable(context.orgName)} (${printable(context.orgId)}), project: ${printable(context.projectName)} (${printable(context.projectId)}).\n`,
    );
  }
}

export class OrgListCommand extends ContextCommand {
  static override paths = [['org', 'list']];
  static override usage = Command.Usage({
    category: 'Account',
    description: 'List your organizations; the active one is marked with *',
    examples: [['List them', '$0 org list']],
  });

  protected async run(): Promise<number> {
    const rows = await this.calling(() => this.context.app.accountContext.organizations());
    this.list(rows, 'No organizations.');
    return 0;
  }
}

export class OrgSetCommand extends ContextCommand {
  static override paths = [['org', 'set']];
  static override usage = Command.Usage({
    category: 'Account',
    description: 'Make an organization active (by id or name), with its default project',
    examples: [['Switch to Acme', '$0 org set Acme']],
  });

  org = Option.String({ name: 'ORG' });

  protected async run(): Promise<number> {
    this.saidActive(await this.calling(() => this.context.app.accountContext.setOrganization(this.org)));
    return 0;
  }
}

export class ProjectListCommand extends ContextCommand {
  static override paths = [['project', 'list']];
  static override usage = Command.Usage({
    category: 'Account',
    description: "List the active organization's projects; the active one is marked with *",
    examples: [['List them', '$0 project list']],
  });

  protected async run(): Promise<number> {
    const rows = await this.calling(() => this.context.app.accountContext.projects());
    this.list(rows, 'No projects in this organization.');
    return 0;
  }
}

export class ProjectSetCommand extends ContextCommand {
  static override paths = [['project', 'set']];
  static override usage = Command.Usage({
    category: 'Account',
    description: 'Make a project of the active organization active (by id or name)',
    examples: [['Switch to the Staging project', '$0 project set Staging']],
  });

  project = Option.String({ name: 'PROJECT' });

  protected async run(): Promise<number> {
    this.saidActive(await this.calling(() => this.context.app.accountContext.setProject(this.project)));
    return 0;
  }
}
