import type { Credentials, CredentialsRead } from '../../domain/principal.js';
import type { CredentialsStore, SessionWrite } from '../../domain/ports/credentials-store.js';
import { keyFingerprint } from '../system/key-fingerprint.js';

/**
 * `ARCADE_API_KEY` over `credentials.yaml` (CI, containers, as gh's `GH_TOKEN`): while it is set,
 * it is the login every command reads; writes still go to the file.
 */
export class EnvironmentCredentials implements CredentialsStore {
  private readonly credentials: Credentials;

  constructor(
    private readonly file: CredentialsStore,
    apiKey: string,
  ) {
    this.credentials = {
      bearer: apiKey,
      email: '', // not known: an API key says nothing of its account's email
      keyFingerprint: keyFingerprint(apiKey),
      oauth: null,
      context: null,
      source: 'environment',
    };
  }

  async load(): Promise<CredentialsRead> {
    return { kind: 'found', credentials: this.credentials };
  }

  async settled(): Promise<boolean> {
    return true;
  }

  save(apiKey: string, email: string | null): Promise<void> {
    return this.file.save(apiKey, email);
  }

  saveSession(session: SessionWrite): Promise<void> {
    return this.file.saveSession(session);
  }

  /** Nothing to refresh: an API key does not expire. */
  async updateSession(): Promise<CredentialsRead> {
    return this.load();
  }

  checkWritable(): Promise<void> {
    return this.file.checkWritable();
  }

  remove(): Promise<boolean> {
    return this.file.remove();
  }

  describeLocation(): string {
    return 'ARCADE_API_KEY';
  }
}
