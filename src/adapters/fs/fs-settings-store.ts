import type { SettingsRead } from '../../domain/tracking-decision.js';
import type { SettingsStore } from '../../domain/ports/settings-store.js';
import { writeFileAtomic } from './atomic-write.js';
import { isRecord, readJsonFile } from './json-file.js';
import type { StateDir } from './state-dir.js';

/** `usage-settings.json` (the user's choice) and `usage-notice.json` (which notice was shown). */
export class FsSettingsStore implements SettingsStore {
  constructor(private readonly dir: StateDir) {}

  async read(): Promise<SettingsRead> {
    const read = readJsonFile(this.dir.file('usage-settings.json'));
    if (read.kind === 'missing') return { kind: 'unset' };
    if (read.kind === 'unreadable') return read;
    const tracking = isRecord(read.value) ? read.value.tracking : undefined;
    const disabledAt = isRecord(read.value) ? read.value.disabled_at : undefined;
    if (tracking === 'enabled' || tracking === 'disabled')
      return {
        kind: 'chosen',
        tracking,
        // A date that does not parse cannot order anything: as if never disabled (the choice itself still holds).
        disabledAt: typeof disabledAt === 'string' && !Number.isNaN(Date.parse(disabledAt)) ? disabledAt : null,
      };
    return { kind: 'unreadable', reason: 'it does not say "enabled" or "disabled"' };
  }

  async write(tracking: 'enabled' | 'disabled', disabledAt: string | null): Promise<void> {
    await this.dir.ensure();
    const body = { tracking, updated_at: new Date().toISOString(), ...(disabledAt ? { disabled_at: disabledAt } : {}) };
    writeFileAtomic(this.dir.file('usage-settings.json'), `${JSON.stringify(body, null, 2)}\n`);
  }

  async noticeVersionShown(): Promise<number | null> {
    const read = readJsonFile(this.dir.file('usage-notice.json'));
    const version = read.kind === 'parsed' && isRecord(read.value) ? read.value.version : null;
    return typeof version === 'number' ? version : null;
  }

  async recordNoticeShown(version: number): Promise<void> {
    await this.dir.ensure();
    const body = { version, shown_at: new Date().toISOString() };
    writeFileAtomic(this.dir.file('usage-notice.json'), `${JSON.stringify(body)}\n`);
  }
}
