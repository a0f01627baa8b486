import { AppError } from '../domain/errors.js';
import { NOTICE_TEXT, NOTICE_VERSION } from '../domain/notice.js';
import { secretsOf, type CredentialsRead } from '../domain/principal.js';
import type { RuntimeInfo } from '../domain/runtime-info.js';
import { commandEvent, type CommandRun } from '../domain/usage-event.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { IdSource } from '../domain/ports/id-source.js';
import { SettingsStore } from '../domain/ports/settings-store.js';
import { DecideTracking } from './decide-tracking.js';
import { Runtime } from './provided-values.js';
import { QueueMessages } from './queue-messages.js';
import { ResolveIdentity } from './resolve-identity.js';

/**
 * What a tracked run knew when it started: for a command that may change the credentials (login,
 * logout), the credentials, so a logout's event is still the account's; null for any other.
 */
export interface TrackedStart {
  readonly credentials: CredentialsRead | null;
}

export type TrackOutcome =
  | { readonly kind: 'disabled' }
  /** The identity file was locked for too long; this run goes untracked rather than wait. */
  | { readonly kind: 'skipped' }
  /** `notice` is the first-run notice when it is due, for the caller to print on stderr. */
  | { readonly kind: 'recorded'; readonly distinctId: string; readonly notice: string | null };

/**
 * Records one event for one command run: decides, resolves the identity (rotating or linking it
 * as the identity rules say), and queues the event after any alias it needs. Runs after the
 * command's own output; touches no network unless a principal lookup is due.
 */
export class TrackCommand {
  static readonly inject = [
    DecideTracking,
    CredentialsStore,
    ResolveIdentity,
    QueueMessages,
    SettingsStore,
    IdSource,
    Runtime,
  ] as const;

  constructor(
    private readonly decideTracking: DecideTracking,
    private readonly credentials: CredentialsStore,
    private readonly resolveIdentity: ResolveIdentity,
    private readonly queue: QueueMessages,
    private readonly settings: SettingsStore,
    private readonly ids: IdSource,
    private readonly runtime: RuntimeInfo,
  ) {}

  /**
   * Called as the command starts; reads the credentials only for a command that may change them
   * (any other run is attributed by the credentials as it ends), and nothing when tracking is off.
   */
  async start(changesCredentials: boolean): Promise<TrackedStart> {
    if (!changesCredentials || !(await this.decideTracking.execute()).enabled) return { credentials: null };
    return { credentials: await this.credentials.load() };
  }

  async execute(start: TrackedStart, run: CommandRun): Promise<TrackOutcome> {
    const decision = await this.decideTracking.execute();
    if (!decision.enabled) return { kind: 'disabled' };

    let resolution;
    try {
      resolution = await this.resolveIdentity.execute({
        atStart: start.credentials,
        dryRun: decision.debug,
        lookupNow: false,
      });
      if (resolution === null) return { kind: 'disabled' };
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'busy')) throw error;
      await this.queue.skipped(decision);
      return { kind: 'skipped' };
    }
    const secrets = resolution.credentials ? secretsOf(resolution.credentials) : [];
    const event = commandEvent(run, resolution.identity, this.runtime, this.ids.messageId(), secrets, resolution.context, {
      personProcessing: resolution.lookupPending,
    });
    await this.queue.execute(resolution.alias ? [resolution.alias, event] : [event], decision, 'background');
    return { kind: 'recorded', distinctId: resolution.identity.distinctId, notice: await this.noticeIfDue() };
  }

  private async noticeIfDue(): Promise<string | null> {
    if (this.runtime.isCi) return null;
    if ((await this.settings.noticeVersionShown()) === NOTICE_VERSION) return null;
    await this.settings.recordNoticeShown(NOTICE_VERSION);
    return NOTICE_TEXT;
  }
}
