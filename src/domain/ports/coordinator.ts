/** Tokens the Coordinator issued. */
export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
}

/** What `GET /api/v1/auth/cli_config` names: the CLI's OAuth client and the Coordinator's endpoints. */
export interface CliConfig {
  readonly clientId: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
}

export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
}

/** `GET /api/v1/auth/whoami`: the account an access token belongs to. */
export interface CoordinatorAccount {
  readonly accountId: string;
  readonly email: string;
  readonly organizations: readonly Organization[];
  readonly projects: readonly Project[];
}

/** Arcade's Coordinator: the OAuth side of Arcade Cloud (same base URL). Failures to reach it are AppErrors. */
export abstract class Coordinator {
  /** The OAuth configuration, or null when this Cloud has none (404: a Cloud without OAuth). */
  abstract cliConfig(coordinatorUrl: string): Promise<CliConfig | null>;
  /**
   * Exchanges a refresh token for new tokens at the token endpoint `cli_config` names (the
   * refresh token may come back rotated; the old one is then dead). 'refused': the Coordinator
   * turned the refresh token down, so the login is over.
   */
  abstract refresh(coordinatorUrl: string, refreshToken: string): Promise<IssuedTokens | 'refused'>;
  abstract whoami(coordinatorUrl: string, accessToken: string): Promise<CoordinatorAccount>;
  abstract organizations(coordinatorUrl: string, accessToken: string): Promise<Organization[]>;
  abstract projects(coordinatorUrl: string, accessToken: string, orgId: string): Promise<Project[]>;
}

/** The default of a list (marked so by the Coordinator), else its first; null when it is empty. */
export function defaultOf<T extends { readonly isDefault: boolean }>(items: readonly T[]): T | null {
  return items.find((item) => item.isDefault) ?? items[0] ?? null;
}
