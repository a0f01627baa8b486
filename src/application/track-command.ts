import { AppError } from '../domain/errors.js';
import { deliveryIsDue } from '../domain/delivery-state.js';
import { NOTICE_TEXT, NOTICE_VERSION } from '../domain/notice.js';
import type { RuntimeInfo } from '../domain/runtime-info.js';
import { commandEvent, type CommandRun } from '../domain/usage-event.js';
import type { BackgroundRunner } from '../domain/ports/background-runner.js';
import type { CredentialsStore } from '../domain/ports/credentials-store.js';
import type { DeliveryLock } from '../domain/ports/delivery-lock.js';
import type { DeliveryStateStore } from '../domain/ports/delivery-state-store.js';
import type { Clock } from '../domain/ports/clock.js';
import type { IdSource } from '../domain/ports/id-source.js';
import type { Outbox } from '../domain/ports/outbox.js';
import type { SettingsStore } from '../domain/ports/settings-store.js';
import type { DecideTracking } from './decide-tracking.js';
import type { ResolveIdentity } from './resolve-identity.js';

export type TrackOutcome =
  | { readonly kind: 'disabled' }
  /** The identity file was locked for too long; this run goes untracked rather than wait. */
  | { readonly kind: 'skipped' }
  /** `notice` is the first-run notice when it is due, for the caller to print on stderr. */
  | { readonly kind: 'recorded'; readonly distinctId: string; readonly notice: string | null };

/**
 * Records one event for one command run: decides, resolves the identity, writes the event (after
 * any alias it needs) to the outbox and makes sure a delivery process will pick it up. Runs after
 * the command's own output; touches no network unless a principal lookup is due.
 */
export class TrackCommand {
  constructor(
    private readonly decideTracking: DecideTracking,
    private readonly resolveIdentity: ResolveIdentity,
    private readonly credentials: CredentialsStore,
    private readonly outbox: Outbox,
    private readonly runner: BackgroundRunner,
    private readonly deliveryLock: DeliveryLock,
    private readonly deliveryState: DeliveryStateStore,
    private readonly settings: SettingsStore,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly runtime: RuntimeInfo,
  ) {}

  async execute(run: CommandRun): Promise<TrackOutcome> {
    const decision = await this.decideTracking.execute();
    if (!decision.enabled) return { kind: 'disabled' };

    let resolution;
    try {
      resolution = await this.resolveIdentity.execute();
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'lock-unavailable')) throw error;
      await this.outbox.recordSkipped();
      return { kind: 'skipped' };
    }
    const credentials = await this.credentials.load();
    const secrets = credentials.kind === 'found' ? [credentials.credentials.apiKey, credentials.credentials.email] : [];
    const event = commandEvent(run, resolution.identity, this.runtime, this.ids.uuid(), secrets);
    await this.outbox.append(resolution.pendingAlias ? [resolution.pendingAlias, event] : [event]);
    await this.startDeliveryIfDue();
    return { kind: 'recorded', distinctId: resolution.identity.distinctId, notice: await this.noticeIfDue() };
  }

  private async startDeliveryIfDue(): Promise<void> {
    if (await this.deliveryLock.isHeld()) return;
    if (!deliveryIsDue(await this.deliveryState.read(), this.clock.now())) return;
    this.runner.startDelivery();
  }

  private async noticeIfDue(): Promise<string | null> {
    if (this.runtime.isCi) return null;
    if ((await this.settings.noticeVersionShown()) === NOTICE_VERSION) return null;
    await this.settings.recordNoticeShown(NOTICE_VERSION);
    return NOTICE_TEXT;
  }
}
