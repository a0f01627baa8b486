import type { SettingsRead } from '../tracking-decision.js';

/** `.arcade/usage-settings.json` (the user's choice) and the record of the first-run notice. */
export interface SettingsStore {
  read(): Promise<SettingsRead>;
  write(tracking: 'enabled' | 'disabled'): Promise<void>;
  /** The version of the first-run notice last shown in this state directory, or null. */
  noticeVersionShown(): Promise<number | null>;
  recordNoticeShown(version: number): Promise<void>;
}

export const SettingsStore = Symbol.for('SettingsStore');
