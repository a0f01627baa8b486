import type { CredentialsRead } from '../principal.js';

/** `.arcade/credentials.yaml`, shared with the Python Arcade CLI. */
export abstract class CredentialsStore {
  /** What is stored now (read afresh on every call); a missing file is `none`, a malformed one `unreadable`. */
  abstract load(): Promise<CredentialsRead>;
  /**
   * A signature of the file as it is now (which file, its size, when it last changed), different
   * whenever its content can be; null when there is no regular file, or when it changed too
   * recently (within a second: file times are coarse) for the signature to vouch for its content.
   * Reads nothing of the content: a run whose stored lookup holds this signature knows the key.
   */
  abstract signature(): Promise<string | null>;
  /** Writes the key and email readable by the owner only. */
  abstract save(apiKey: string, email: string): Promise<void>;
  /** Deletes the credentials; resolves to whether there were any. */
  abstract remove(): Promise<boolean>;
  /** Where they live, for messages to the user. */
  abstract describeLocation(): string;
}
