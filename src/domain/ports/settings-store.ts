import type { SettingsRead } from '../tracking-decision.js';

/** `.arcade/usage-settings.json` (the user's choice) and the record of the first-run notice. */
export abstract class SettingsStore {
  abstract read(): Promise<SettingsRead>;
  /** Saves the choice, and when `arcade usage disable` last ran (null: never). */
  abstract write(tracking: 'enabled' | 'disabled', disabledAt: string | null): Promise<void>;
  /** The version of the first-run notice last shown in this state directory, or null. */
  abstract noticeVersionShown(): Promise<number | null>;
  abstract recordNoticeShown(version: number): Promise<void>;
}
