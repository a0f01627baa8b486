/** In-memory adapters of every port, for unit tests and the container's test mode. Their state is public so tests can inspect and arrange it. */
import { AppError, text } from '../../domain/errors.js';
import { DELIVERED_LOG_LIMIT, type PendingEntry } from '../../domain/delivery-policy.js';
import { INITIAL_DELIVERY_STATE, type DeliveryState } from '../../domain/delivery-state.js';
import type { Identity } from '../../domain/identity.js';
import type { Credentials, CredentialsRead } from '../../domain/principal.js';
import type { SettingsRead } from '../../domain/tracking-decision.js';
import type { OutboundMessage } from '../../domain/usage-event.js';
import type { CloudDeployment, EngineWorker } from '../../domain/worker.js';
import { keyFingerprint } from '../system/key-fingerprint.js';
import type { AnalyticsSink, SendResult, SinkRoute } from '../../domain/ports/analytics-sink.js';
import type { BackgroundRunner } from '../../domain/ports/background-runner.js';
import type {
  AuthorizationRequest,
  AuthorizationResult,
  BrowserLogin,
  OAuthAuthorizationRequest,
  OAuthAuthorizationResult,
} from '../../domain/ports/browser-login.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { CloudDeployments } from '../../domain/ports/cloud-deployments.js';
import type {
  CliConfig,
  Coordinator,
  CoordinatorAccount,
  IssuedTokens,
  Organization,
  Project,
} from '../../domain/ports/coordinator.js';
import type { CredentialsStore, SessionWrite } from '../../domain/ports/credentials-store.js';
import type { DebugOutput } from '../../domain/ports/debug-output.js';
import type { ApiAccess, EngineWorkers } from '../../domain/ports/engine-workers.js';
import type { LogConnectionEnd, LogEvent, WorkerLogStream } from '../../domain/ports/worker-logs.js';
import type { IdSource } from '../../domain/ports/id-source.js';
import type { IdentityDecision, IdentityStore, StateProblem } from '../../domain/ports/identity-store.js';
import type { DeliveredRecord, DeliveryClaim, Outbox, PendingCount } from '../../domain/ports/outbox.js';
import type { PrincipalSource } from '../../domain/ports/principal-source.js';
import type { SettingsStore } from '../../domain/ports/settings-store.js';

export class MemoryIdentityStore implements IdentityStore {
  identity: Identity | null = null;
  /** When true, updates fail as if another process held the lock too long. */
  locked = false;
  writes = 0;
  problem: StateProblem | null = null;

  async stateProblem(): Promise<StateProblem | null> {
    return this.problem;
  }

  async read(): Promise<Identity | null> {
    return this.identity;
  }

  async update<R>(decide: (current: Identity | null) => IdentityDecision<R> | Promise<IdentityDecision<R>>): Promise<R> {
    if (this.locked) throw new AppError('busy', text`usage.json is locked`);
    const decision = await decide(this.identity);
    if (decision.next !== undefined) {
      this.writes += 1;
      this.identity = decision.next;
    }
    return decision.result;
  }
}

/** API-key credentials as a store reads them. */
export function apiKeyCredentials(apiKey: string, email: string): Credentials {
  return { bearer: apiKey, email, keyFingerprint: keyFingerprint(apiKey), oauth: null, context: null, source: 'file' };
}

export class MemoryCredentialsStore implements CredentialsStore {
  stored: CredentialsRead = { kind: 'none' };
  /** How often the content was read (a steady-state run reads none). */
  loads = 0;
  /** When true, the file changed too recently for its signature to vouch for it. */
  justChanged = false;
  /** Each value put in `stored` is another version of the file, with a signature of its own. */
  private readonly versions = new WeakMap<CredentialsRead, number>();
  private versionsMade = 0;

  async load(): Promise<CredentialsRead> {
    this.loads += 1;
    return this.stored;
  }

  async signature(): Promise<string | null> {
    if (this.stored.kind === 'none' || this.justChanged) return null;
    if (!this.versions.has(this.stored)) this.versions.set(this.stored, (this.versionsMade += 1));
    return `memory-${this.versions.get(this.stored)}`;
  }

  async save(apiKey: string, email: string | null): Promise<void> {
    this.stored = { kind: 'found', credentials: apiKeyCredentials(apiKey, email ?? '(unknown email)') };
  }

  async saveSession(session: SessionWrite): Promise<void> {
    const previous = this.stored.kind === 'found' ? this.stored.credentials : null;
    const email = session.email ?? previous?.email ?? '(unknown email)';
    const coordinatorUrl = session.coordinatorUrl ?? previous?.oauth?.coordinatorUrl ?? null;
    this.stored = {
      kind: 'found',
      credentials: {
        bearer: session.accessToken,
        email,
        keyFingerprint: keyFingerprint(`oauth ${coordinatorUrl ?? ''} ${email}`),
        oauth: {
          accessToken: session.accessToken,
          refreshToken: session.refreshToken,
          expiresAt: session.expiresAt,
          coordinatorUrl,
        },
        context: session.context === undefined ? (previous?.context ?? null) : session.context,
        source: 'file',
      },
    };
  }

  async updateSession(decide: (current: CredentialsRead) => Promise<SessionWrite | null>): Promise<CredentialsRead> {
    const write = await decide(this.stored);
    if (write !== null) await this.saveSession(write);
    return this.stored;
  }

  /** When set, `checkWritable` fails with it (a read-only home). */
  notWritable: Error | null = null;

  async checkWritable(): Promise<void> {
    if (this.notWritable) throw this.notWritable;
  }

  async remove(): Promise<boolean> {
    const had = this.stored.kind !== 'none';
    this.stored = { kind: 'none' };
    return had;
  }

  describeLocation(): string {
    return '~/.arcade/credentials.yaml';
  }
}

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

export class MemoryPrincipalSource implements PrincipalSource {
  readonly principals = new Map<string, string>();
  readonly lookups: string[] = [];
  /** The Cloud each lookup asked (undefined: the configured one). */
  readonly lookupClouds: Array<string | undefined> = [];

  remember(credentials: Credentials, principalId: string): void {
    this.principals.set(credentials.bearer, principalId);
  }

  /** Looked up by the credentials' bearer (an API key or an access token). */
  async lookup(credentials: Credentials, cloudUrl?: string): Promise<string | null> {
    this.lookups.push(credentials.bearer);
    this.lookupClouds.push(cloudUrl);
    return this.principals.get(credentials.bearer) ?? null;
  }
}

export class MemoryAnalyticsSink implements AnalyticsSink {
  readonly received: OutboundMessage[] = [];
  readonly requests: OutboundMessage[][] = [];
  /** Answers for the next requests, in order; when empty, every request is accepted. */
  readonly answers: SendResult[] = [];
  /** Decides per request; wins over `answers`. */
  answer: ((messages: readonly OutboundMessage[]) => SendResult) | null = null;
  /** What `route()` says. */
  sinkRoute: SinkRoute = { kind: 'direct' };
  /** What `keyId()` says: null for a build with no project key. */
  key: string | null = 'memory-project-key';

  keyId(): string | null {
    return this.key;
  }

  async route(): Promise<SinkRoute> {
    return this.sinkRoute;
  }

  async send(messages: readonly OutboundMessage[]): Promise<SendResult> {
    this.requests.push([...messages]);
    const result = this.answer?.(messages) ?? this.answers.shift() ?? { kind: 'accepted', wire: [] };
    if (result.kind !== 'accepted') return result;
    this.received.push(...messages);
    // As a client library would: the message on the wire, with a property of its own.
    return {
      kind: 'accepted',
      wire: messages.map((m) => ({
        uuid: m.uuid,
        event: m.event,
        distinct_id: m.distinctId,
        timestamp: m.timestamp,
        properties: { ...m.properties, $lib: 'memory' },
      })),
    };
  }
}

export class MemoryOutbox implements Outbox {
  entries: PendingEntry[] = [];
  /** Entries whose deletion fails (as a file in a read-only directory would). */
  undeletable = new Set<string>();
  /** How many claims were taken in all. */
  claims = 0;
  state: DeliveryState = INITIAL_DELIVERY_STATE;
  log: DeliveredRecord[] = [];
  /** Whether a delivery run holds the claim. */
  claimed = false;
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  async append(messages: readonly OutboundMessage[]): Promise<string> {
    return this.push(messages, 0);
  }

  async withdraw(id: string): Promise<void> {
    this.entries = this.entries.filter((entry) => entry.id !== id);
  }

  async recordSkipped(): Promise<void> {
    this.push([], 1);
  }

  async pendingCount(except: ReadonlySet<string> = new Set()): Promise<PendingCount> {
    const entries = this.entries.filter((entry) => !except.has(entry.id));
    return {
      messages: entries.reduce((sum, entry) => sum + entry.messages.length, 0),
      skippedRuns: entries.reduce((sum, entry) => sum + entry.skippedRuns, 0),
    };
  }

  async deliveryState(): Promise<DeliveryState> {
    return this.state;
  }

  async delivered(): Promise<DeliveredRecord[]> {
    return [...this.log];
  }

  async claimHeld(): Promise<boolean> {
    return this.claimed;
  }

  /** A delivery process is starting (reserved, not yet asking for the claim). */
  starting = false;

  async reserveDeliveryStart(): Promise<boolean> {
    if (this.claimed || this.starting) return false;
    this.starting = true;
    return true;
  }

  /** The process the reservation names, once started. */
  startingPid: number | null = null;

  async deliveryStarted(pid: number): Promise<void> {
    if (this.starting) this.startingPid = pid;
  }

  async endDeliveryStart(): Promise<void> {
    this.starting = false;
    this.startingPid = null;
  }

  /** Waits on the clock, as the real one waits on the lock. */
  async claim(waitMs: number): Promise<DeliveryClaim | null> {
    this.starting = false;
    for (let waited = 0; this.claimed && waited < waitMs; waited += 100) await this.clock.sleep(100);
    if (this.claimed) return null;
    this.claimed = true;
    this.claims += 1;
    return {
      state: this.state,
      entries: async () => [...this.entries],
      remove: async (ids) => {
        this.entries = this.entries.filter((entry) => !ids.includes(entry.id) || this.undeletable.has(entry.id));
        return ids.filter((id) => this.undeletable.has(id)).map((id) => ({ id, reason: 'permission denied' }));
      },
      recordDelivered: async (records) => {
        this.log = [...this.log, ...records].slice(-DELIVERED_LOG_LIMIT);
      },
      saveState: async (state) => {
        this.state = state;
      },
      clearAll: async () => {
        const count = this.messages().length;
        [this.entries, this.log, this.state] = [[], [], INITIAL_DELIVERY_STATE];
        return count;
      },
      release: async () => {
        this.claimed = false;
      },
    };
  }

  messages(): OutboundMessage[] {
    return this.entries.flatMap((entry) => entry.messages);
  }

  private push(messages: readonly OutboundMessage[], skippedRuns: number): string {
    this.sequence += 1;
    const id = `entry-${String(this.sequence).padStart(6, '0')}`;
    this.entries.push({ id, recordedAt: this.clock.now().toISOString(), messages: [...messages], skippedRuns });
    return id;
  }
}

export class MemoryDebugOutput implements DebugOutput {
  readonly messages: OutboundMessage[] = [];

  message(message: OutboundMessage): void {
    this.messages.push(message);
  }
}

export class MemoryBackgroundRunner implements BackgroundRunner {
  starts = 0;
  /** Of those, how many took over mid-burst from a delivery that ran out of time. */
  continuations = 0;
  /** Set to make starting fail (as a spawn that throws EAGAIN would). */
  failing = false;

  startDelivery(continuesBurst: boolean): number | null {
    if (this.failing) return null;
    this.starts += 1;
    if (continuesBurst) this.continuations += 1;
    return 10_000 + this.starts;
  }
}

export class MemorySettingsStore implements SettingsStore {
  settings: SettingsRead = { kind: 'unset' };
  noticeVersion: number | null = null;

  async read(): Promise<SettingsRead> {
    return this.settings;
  }

  async write(tracking: 'enabled' | 'disabled', disabledAt: string | null): Promise<void> {
    this.settings = { kind: 'chosen', tracking, disabledAt };
  }

  async noticeVersionShown(): Promise<number | null> {
    return this.noticeVersion;
  }

  async recordNoticeShown(version: number): Promise<void> {
    this.noticeVersion = version;
  }
}

export class MemoryBrowserLogin implements BrowserLogin {
  result: AuthorizationResult = { kind: 'timed-out' };
  oauthResult: OAuthAuthorizationResult = { kind: 'timed-out' };
  readonly requests: AuthorizationRequest[] = [];

  async authorizeOAuth(request: OAuthAuthorizationRequest): Promise<OAuthAuthorizationResult> {
    this.requests.push(request);
    request.onLoginUrl(`${request.config.authorizationEndpoint}?state=test`);
    return this.oauthResult;
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    this.requests.push(request);
    request.onLoginUrl('https://cloud.example/api/v1/auth/cli_login?state=test');
    return this.result;
  }
}

export class MemoryEngineWorkers implements EngineWorkers {
  workers: EngineWorker[] = [];
  readonly toolkits = new Map<string, string[]>();
  /** Every call's access, to check the key and URL overrides were passed on. */
  readonly calls: ApiAccess[] = [];

  async list(access: ApiAccess): Promise<EngineWorker[]> {
    this.calls.push(access);
    return [...this.workers];
  }

  async toolkitsOf(access: ApiAccess, workerId: string): Promise<string[]> {
    this.calls.push(access);
    return this.toolkits.get(workerId) ?? [];
  }

  async setEnabled(access: ApiAccess, workerId: string, enabled: boolean): Promise<boolean> {
    this.calls.push(access);
    const found = this.workers.some((worker) => worker.id === workerId);
    this.workers = this.workers.map((worker) => (worker.id === workerId ? { ...worker, enabled } : worker));
    return found;
  }

  async deregister(access: ApiAccess, workerId: string): Promise<boolean> {
    this.calls.push(access);
    const before = this.workers.length;
    this.workers = this.workers.filter((worker) => worker.id !== workerId);
    return this.workers.length < before;
  }
}

export class MemoryCloudDeployments implements CloudDeployments {
  deployments: CloudDeployment[] = [];

  async list(): Promise<CloudDeployment[]> {
    return [...this.deployments];
  }

  async remove(_access: ApiAccess, name: string): Promise<boolean> {
    const before = this.deployments.length;
    this.deployments = this.deployments.filter((deployment) => deployment.name !== name);
    return this.deployments.length < before;
  }
}

/** One scripted connection to a log stream: the events it carries, then how it ends. */
export interface MemoryLogConnection {
  readonly events: readonly LogEvent[];
  readonly end: LogConnectionEnd;
}

export class MemoryWorkerLogStream implements WorkerLogStream {
  /** Served in order, one per `follow`. */
  connections: MemoryLogConnection[] = [];
  /** The `lastEventId` each connection was opened with. */
  readonly resumedAfter: (string | null)[] = [];

  async follow(_access: ApiAccess, _workerId: string, lastEventId: string | null, onEvent: (event: LogEvent) => void) {
    this.resumedAfter.push(lastEventId);
    const connection = this.connections.shift();
    if (!connection) throw new Error('no scripted log connection left');
    for (const event of connection.events) onEvent(event);
    return connection.end;
  }
}

/** A clock that only moves when told to (or when slept on). */
export class FakeClock implements Clock {
  private wallMs: number;
  private monoMs = 1000;
  /** Called on every sleep, after time has moved on: lets a test change the world "meanwhile". */
  onSleep: (() => void) | null = null;

  constructor(start = '2026-11-24T12:00:00.000Z') {
    this.wallMs = Date.parse(start);
  }

  now(): Date {
    return new Date(this.wallMs);
  }

  monotonicMs(): number {
    return this.monoMs;
  }

  async sleep(ms: number): Promise<void> {
    this.advance(ms);
    this.onSleep?.();
  }

  advance(ms: number): void {
    this.wallMs += ms;
    this.monoMs += ms;
  }
}

/** Predictable ids, one count for both kinds: anonymous ids 00000000-0000-4000-8000-000000000001, …; message ids …-7000-… */
export class SequentialIds implements IdSource {
  private next = 0;

  anonymousId(): string {
    return this.take('4');
  }

  messageId(): string {
    return this.take('7');
  }

  private take(version: '4' | '7'): string {
    this.next += 1;
    return `00000000-0000-${version}000-8000-${String(this.next).padStart(12, '0')}`;
  }
}
