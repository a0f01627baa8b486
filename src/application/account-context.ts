import { AppError, ours, text, value } from '../domain/errors.js';
import type { ArcadeContext, Credentials } from '../domain/principal.js';
import { Clock } from '../domain/ports/clock.js';
import { Coordinator, defaultOf, type Organization, type Project } from '../domain/ports/coordinator.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { AuthorizeArcade } from './authorize-arcade.js';
import { CloudUrl } from './provided-values.js';

/** An organization or project as listed: whether it is the active one. */
export interface Listed<T> {
  readonly item: T;
  readonly active: boolean;
}

/**
 * `arcade org list|set` and `arcade project list|set`: the account's organizations and the active
 * organization's projects, from the Coordinator, and the active pair (`cloud.context`) changed in
 * the credentials, as the Python CLI keeps it. OAuth logins only.
 */
export class AccountContext {
  static readonly inject = [AuthorizeArcade, Coordinator, CredentialsStore, Clock, CloudUrl] as const;

  constructor(
    private readonly authorize: AuthorizeArcade,
    private readonly coordinator: Coordinator,
    private readonly credentials: CredentialsStore,
    private readonly clock: Clock,
    private readonly cloudUrl: string,
  ) {}

  async organizations(): Promise<Listed<Organization>[]> {
    const login = await this.oauthLogin();
    const organizations = await this.coordinator.organizations(this.coordinatorOf(login), login.bearer);
    return organizations.map((item) => ({ item, active: item.id === login.context?.orgId }));
  }

  async projects(): Promise<Listed<Project>[]> {
    const login = await this.oauthLogin();
    const orgId = login.context?.orgId;
    if (orgId === undefined) throw noContext();
    const projects = await this.coordinator.projects(this.coordinatorOf(login), login.bearer, orgId);
    return projects.map((item) => ({ item, active: item.id === login.context?.projectId }));
  }

  /** Makes the organization named (by id, else by name) active, with its default project (else its first). */
  async setOrganization(idOrName: string): Promise<ArcadeContext> {
    const login = await this.oauthLogin();
    const coordinatorUrl = this.coordinatorOf(login);
    const org = pick(await this.coordinator.organizations(coordinatorUrl, login.bearer), idOrName, 'organization');
    const project = defaultOf(await this.coordinator.projects(coordinatorUrl, login.bearer, org.id));
    if (project === null)
      throw new AppError(
        'not-found',
        text`No projects found in organization ${value(org.name)}. Please contact support@arcade.dev for assistance.`,
      );
    return this.save(login, { orgId: org.id, orgName: org.name, projectId: project.id, projectName: project.name });
  }

  /** Makes the project named (by id, else by name) of the active organization active. */
  async setProject(idOrName: string): Promise<ArcadeContext> {
    const login = await this.oauthLogin();
    const context = login.context;
    if (context === null) throw noContext();
    const project = pick(
      await this.coordinator.projects(this.coordinatorOf(login), login.bearer, context.orgId),
      idOrName,
      'project',
    );
    return this.save(login, { ...context, projectId: project.id, projectName: project.name });
  }

  private async oauthLogin(): Promise<Credentials> {
    const login = await this.authorize.execute();
    if (login.oauth === null)
      throw new AppError(
        'bad-credentials',
        text`Organizations and projects need today's login; this one is an API key. Run \`arcade logout\` and \`arcade login\`.`,
      );
    return login;
  }

  private coordinatorOf(login: Credentials): string {
    return login.oauth?.coordinatorUrl ?? this.cloudUrl;
  }

  private async save(login: Credentials, context: ArcadeContext): Promise<ArcadeContext> {
    await this.credentials.updateSession(async (current) => {
      // Logged out (or in as someone else) meanwhile: theirs to keep.
      if (current.kind !== 'found' || current.credentials.keyFingerprint !== login.keyFingerprint || !current.credentials.oauth)
        throw new AppError('not-logged-in', text`The login changed while this command ran. Run it again.`);
      const session = current.credentials.oauth;
      return {
        accessToken: session.accessToken,
        refreshToken: session.refreshToken,
        expiresAt: session.expiresAt ?? this.clock.now(),
        context,
      };
    });
    return context;
  }
}

/** The item whose id is `idOrName`, else the one whose name is (any case); none or several is an error saying which. */
function pick<T extends { readonly id: string; readonly name: string }>(
  items: readonly T[],
  idOrName: string,
  kind: 'organization' | 'project',
): T {
  const byId = items.find((item) => item.id === idOrName);
  if (byId) return byId;
  const byName = items.filter((item) => item.name.toLowerCase() === idOrName.toLowerCase());
  if (byName.length === 1) return byName[0];
  const list = ours(`arcade ${kind === 'organization' ? 'org' : 'project'} list`);
  if (byName.length > 1)
    throw new AppError('not-found', text`More than one ${ours(kind)} is named ${value(idOrName)}: use its id (\`${list}\`).`);
  throw new AppError('not-found', text`No ${ours(kind)} ${value(idOrName)} in your account (\`${list}\` shows them).`);
}

function noContext(): AppError {
  return new AppError('not-found', text`This login has no active organization. Choose one with \`arcade org set\`.`);
}
