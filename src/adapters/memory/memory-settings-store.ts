import type { SettingsRead } from '../../domain/tracking-decision.js';
import type { SettingsStore } from '../../domain/ports/settings-store.js';

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
