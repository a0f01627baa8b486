import type { CredentialsRead } from '../principal.js';

/** `.arcade/credentials.yaml`, shared with the Python Arcade CLI. */
export abstract class CredentialsStore {
  /** What is stored now (read afresh on every call); a missing file is `none`, a malformed one `unreadable`. */
  abstract load(): Promise<CredentialsRead>;
  /** Writes the key and email readable by the owner only. */
  abstract save(apiKey: string, email: string): Promise<void>;
  /** Deletes the credentials; resolves to whether there were any. */
  abstract remove(): Promise<boolean>;
  /** Where they live, for messages to the user. */
  abstract describeLocation(): string;
}
