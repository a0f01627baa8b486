import type { ArcadeContext, CredentialsRead } from '../principal.js';

/** An OAuth session to write (a login, a refresh, a new context); what is left out stays as it is. */
export interface SessionWrite {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: Date;
  readonly coordinatorUrl?: string;
  readonly email?: string;
  /** null removes the context. */
  readonly context?: ArcadeContext | null;
}

/** `.arcade/credentials.yaml`, shared with the Python Arcade CLI. */
export abstract class CredentialsStore {
  /** What is stored now (read afresh on every call); a missing file is `none`, a malformed one `unreadable`. */
  abstract load(): Promise<CredentialsRead>;
  /**
   * Whether there are credentials, unchanged for the last second; false when there are none, or
   * when they changed just now (a login may still be writing them). Reads nothing of the content.
   */
  abstract settled(): Promise<boolean>;
  /** Writes the API-key layout (with the email, when known), readable by the owner only. */
  abstract save(apiKey: string, email: string | null): Promise<void>;
  /** Writes the OAuth layout (today's `arcade login`), readable by the owner only; unknown keys kept. */
  abstract saveSession(session: SessionWrite): Promise<void>;
  /**
   * Under a lock on the file, reads the credentials afresh and writes the session `decide` returns
   * (null: nothing), so that of concurrent commands one refreshes and the others use its result.
   * Resolves to the credentials as they are afterwards.
   */
  abstract updateSession(decide: (current: CredentialsRead) => Promise<SessionWrite | null>): Promise<CredentialsRead>;
  /** Fails (an AppError naming the directory and what to check) when credentials could not be saved now: read-only, full, not a directory. */
  abstract checkWritable(): Promise<void>;
  /** Deletes the credentials; resolves to whether there were any. */
  abstract remove(): Promise<boolean>;
  /** Where they live, for messages to the user. */
  abstract describeLocation(): string;
}
