import type { CredentialsRead } from '../principal.js';

/** `.arcade/credentials.yaml`, shared with the Python Arcade CLI. */
export interface CredentialsStore {
  /** What is stored; a missing file is `none`, a malformed one `unreadable` with a reason. */
  load(): Promise<CredentialsRead>;
  /** Writes the key and email readable by the owner only. */
  save(apiKey: string, email: string): Promise<void>;
  /** Deletes the credentials; resolves to whether there were any. */
  remove(): Promise<boolean>;
  /** Where they live, for messages to the user (events scrub the home directory out of them). */
  describeLocation(): string;
}

export const CredentialsStore = Symbol.for('CredentialsStore');
