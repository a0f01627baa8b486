import type {
  CliConfig,
  Coordinator,
  CoordinatorAccount,
  IssuedTokens,
  Organization,
  Project,
} from '../../domain/ports/coordinator.js';

/** A Coordinator whose refresh tokens rotate: each is good for one refresh. */
export class MemoryCoordinator implements Coordinator {
  /** null (the default, as the Cloud stand-in's): a Cloud without OAuth, whose cli_config answers 404. */
  config: CliConfig | null = null;
  /** The account every access token belongs to. */
  account: CoordinatorAccount = {
    accountId: 'acct-ada',
    email: 'ada@example.com',
    organizations: [{ id: 'org_acme', name: 'Acme', isDefault: true }],
    projects: [{ id: 'prj_default', name: 'Default', isDefault: true }],
  };
  /** Each organization's projects (`projects()`); the account's projects when absent. */
  readonly projectsByOrg = new Map<string, Project[]>();

  async cliConfig(): Promise<CliConfig | null> {
    return this.config;
  }

  async whoami(): Promise<CoordinatorAccount> {
    return this.account;
  }

  async organizations(): Promise<Organization[]> {
    return [...this.account.organizations];
  }

  async projects(_coordinatorUrl: string, _accessToken: string, orgId: string): Promise<Project[]> {
    return this.projectsByOrg.get(orgId) ?? [...this.account.projects];
  }

  /** Refresh tokens it will honour; each refresh replaces the one used. */
  readonly liveRefreshTokens = new Set<string>();
  readonly refreshes: Array<{ coordinatorUrl: string; refreshToken: string }> = [];
  expiresInSeconds = 3600;

  async refresh(coordinatorUrl: string, refreshToken: string): Promise<IssuedTokens | 'refused'> {
    this.refreshes.push({ coordinatorUrl, refreshToken });
    if (!this.liveRefreshTokens.delete(refreshToken)) return 'refused';
    const n = this.refreshes.length;
    this.liveRefreshTokens.add(`refresh-${n}`);
    return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresInSeconds: this.expiresInSeconds };
  }
}
