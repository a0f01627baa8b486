/** In-memory adapters of every port, for unit tests and the container's test mode. Their state is public so tests can inspect and arrange it. */
import { AppError } from '../../domain/errors.js';
import { DELIVERED_LOG_LIMIT, type PendingEntry } from '../../domain/delivery-policy.js';
import { INITIAL_DELIVERY_STATE, type DeliveryState } from '../../domain/delivery-state.js';
import type { Identity } from '../../domain/identity.js';
import type { CredentialsRead } from '../../domain/principal.js';
import type { SettingsRead } from '../../domain/tracking-decision.js';
import type { OutboundMessage } from '../../domain/usage-event.js';
import type { CloudDeployment, EngineWorker } from '../../domain/worker.js';
import { keyFingerprint } from '../system/key-fingerprint.js';
import type { AnalyticsSink, SendResult } from '../../domain/ports/analytics-sink.js';
import type { BackgroundRunner } from '../../domain/ports/background-runner.js';
import type { AuthorizationRequest, AuthorizationResult, BrowserLogin } from '../../domain/ports/browser-login.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { CloudDeployments } from '../../domain/ports/cloud-deployments.js';
import type { CredentialsStore } from '../../domain/ports/credentials-store.js';
import type { DeliveredLog, DeliveredRecord } from '../../domain/ports/delivered-log.js';
import type { DeliveryLock } from '../../domain/ports/delivery-lock.js';
import type { DeliveryStateStore } from '../../domain/ports/delivery-state-store.js';
import type { ApiAccess, EngineWorkers } from '../../domain/ports/engine-workers.js';
import type { IdSource } from '../../domain/ports/id-source.js';
import type { IdentityStore } from '../../domain/ports/identity-store.js';
import type { Outbox } from '../../domain/ports/outbox.js';
import type { PrincipalSource } from '../../domain/ports/principal-source.js';
import type { SettingsStore } from '../../domain/ports/settings-store.js';

export class MemoryIdentityStore implements IdentityStore {
  identity: Identity | null = null;
  /** When true, updates fail as if another process held the lock too long. */
  locked = false;
  writes = 0;

  async read(): Promise<Identity | null> {
    return this.identity;
  }

  async update(change: (current: Identity | null) => Identity | null): Promise<Identity | null> {
    if (this.locked) throw new AppError('lock-unavailable', 'usage.json is locked');
    const next = change(this.identity);
    if (next !== this.identity) this.writes += 1;
    this.identity = next;
    return next;
  }
}

export class MemoryCredentialsStore implements CredentialsStore {
  stored: CredentialsRead = { kind: 'none' };

  async load(): Promise<CredentialsRead> {
    return this.stored;
  }

  async save(apiKey: string, email: string): Promise<void> {
    this.stored = { kind: 'found', credentials: { apiKey, email, keyFingerprint: keyFingerprint(apiKey) } };
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

export class MemoryPrincipalSource implements PrincipalSource {
  readonly principals = new Map<string, string>();
  readonly lookups: string[] = [];
  /** The Cloud each lookup asked (undefined: the configured one). */
  readonly lookupClouds: Array<string | undefined> = [];

  async lookup(apiKey: string, cloudUrl?: string): Promise<string | null> {
    this.lookups.push(apiKey);
    this.lookupClouds.push(cloudUrl);
    return this.principals.get(apiKey) ?? null;
  }
}

export class MemoryAnalyticsSink implements AnalyticsSink {
  readonly received: OutboundMessage[] = [];
  readonly requests: OutboundMessage[][] = [];
  /** Answers for the next requests, in order; when empty, every request is accepted. */
  readonly answers: SendResult[] = [];
  /** Decides per request; wins over `answers`. */
  answer: ((messages: readonly OutboundMessage[]) => SendResult) | null = null;

  async send(messages: readonly OutboundMessage[]): Promise<SendResult> {
    this.requests.push([...messages]);
    const result = this.answer?.(messages) ?? this.answers.shift() ?? { kind: 'accepted' };
    if (result.kind === 'accepted') this.received.push(...messages);
    return result;
  }
}

export class MemoryOutbox implements Outbox {
  entries: PendingEntry[] = [];
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  async append(messages: readonly OutboundMessage[]): Promise<void> {
    this.sequence += 1;
    this.entries.push({
      id: `entry-${String(this.sequence).padStart(6, '0')}`,
      recordedAt: this.clock.now().toISOString(),
      messages: [...messages],
      skippedRuns: 0,
    });
  }

  async recordSkipped(): Promise<void> {
    this.sequence += 1;
    this.entries.push({
      id: `entry-${String(this.sequence).padStart(6, '0')}`,
      recordedAt: this.clock.now().toISOString(),
      messages: [],
      skippedRuns: 1,
    });
  }

  async list(): Promise<PendingEntry[]> {
    return [...this.entries];
  }

  async remove(ids: readonly string[]): Promise<void> {
    this.entries = this.entries.filter((entry) => !ids.includes(entry.id));
  }

  async clear(): Promise<number> {
    const count = this.messages().length;
    this.entries = [];
    return count;
  }

  messages(): OutboundMessage[] {
    return this.entries.flatMap((entry) => entry.messages);
  }
}

export class MemoryBackgroundRunner implements BackgroundRunner {
  starts = 0;

  startDelivery(): void {
    this.starts += 1;
  }
}

export class MemoryDeliveryLock implements DeliveryLock {
  held = false;

  async tryAcquire(): Promise<(() => Promise<void>) | null> {
    if (this.held) return null;
    this.held = true;
    return async () => {
      this.held = false;
    };
  }

  async isHeld(): Promise<boolean> {
    return this.held;
  }
}

export class MemoryDeliveredLog implements DeliveredLog {
  records: DeliveredRecord[] = [];

  async record(messages: readonly OutboundMessage[], deliveredAt: string): Promise<void> {
    this.records = [...this.records, ...messages.map((message) => ({ message, deliveredAt }))].slice(-DELIVERED_LOG_LIMIT);
  }

  async recent(): Promise<DeliveredRecord[]> {
    return [...this.records];
  }

  async clear(): Promise<void> {
    this.records = [];
  }
}

export class MemoryDeliveryStateStore implements DeliveryStateStore {
  state: DeliveryState = INITIAL_DELIVERY_STATE;

  async read(): Promise<DeliveryState> {
    return this.state;
  }

  async write(state: DeliveryState): Promise<void> {
    this.state = state;
  }
}

export class MemorySettingsStore implements SettingsStore {
  settings: SettingsRead = { kind: 'unset' };
  noticeVersion: number | null = null;

  async read(): Promise<SettingsRead> {
    return this.settings;
  }

  async write(tracking: 'enabled' | 'disabled'): Promise<void> {
    this.settings = { kind: 'chosen', tracking };
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
  readonly requests: AuthorizationRequest[] = [];

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

/** Predictable UUID v4s: 00000000-0000-4000-8000-000000000001, …02, … */
export class SequentialIds implements IdSource {
  private next = 0;

  uuid(): string {
    this.next += 1;
    return `00000000-0000-4000-8000-${String(this.next).padStart(12, '0')}`;
  }
}
