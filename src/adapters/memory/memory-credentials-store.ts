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
