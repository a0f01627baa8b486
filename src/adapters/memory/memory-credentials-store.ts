import type { Credentials, CredentialsRead } from '../../domain/principal.js';
import { keyFingerprint } from '../system/key-fingerprint.js';
import type { CredentialsStore, SessionWrite } from '../../domain/ports/credentials-store.js';

/** API-key credentials as a store reads them. */
export function apiKeyCredentials(apiKey: string, email: string): Credentials {
  return { bearer: apiKey, email, keyFingerprint: keyFingerprint(apiKey), oauth: null, context: null, source: 'file' };
}

export class MemoryCredentialsStore implements CredentialsStore {
  stored: CredentialsRead = { kind: 'none' };
  /** How often the content was read (a steady-state run reads none). */
  loads = 0;
  /** When true, the file changed within the last second (a login may still be writing it). */
  justChanged = false;

  async load(): Promise<CredentialsRead> {
    this.loads += 1;
    return this.stored;
  }

  async settled(): Promise<boolean> {
    return this.stored.kind !== 'none' && !this.justChanged;
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
