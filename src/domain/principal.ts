/**
 * What `.arcade/credentials.yaml` holds, in either of the Python Arcade CLI's layouts: an API key
 * (the seed's, and a Cloud without OAuth), or an OAuth session (today's `arcade login`).
 */

/** The active organization and project of an OAuth login (`cloud.context`). */
export interface ArcadeContext {
  readonly orgId: string;
  readonly orgName: string;
  readonly projectId: string;
  readonly projectName: string;
}

/** An OAuth login's tokens, as `cloud.auth` and `cloud.coordinator_url` hold them. */
export interface OAuthSession {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires (from `expires_at`, local time when it carries no zone); null when unreadable. */
  readonly expiresAt: Date | null;
  /** The Coordinator the login was made against; null: the configured Cloud. */
  readonly coordinatorUrl: string | null;
}

export interface Credentials {
  /** Sent as `Authorization: Bearer` to Arcade: the API key, or the OAuth access token. */
  readonly bearer: string;
  readonly email: string;
  /**
   * Identifies the login, never the secret: a fingerprint of the API key, or of an OAuth login's
   * Coordinator and email (the same across token refreshes: a refresh is not a new login).
   * Computed by the store; the domain never hashes or logs a secret itself.
   */
  readonly keyFingerprint: string;
  /** The OAuth session, or null for an API key. */
  readonly oauth: OAuthSession | null;
  /** The active organization and project (OAuth), or null. */
  readonly context: ArcadeContext | null;
  /** Where they came from: `credentials.yaml`, or ARCADE_API_KEY. */
  readonly source: 'file' | 'environment';
}

export type CredentialsRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly credentials: Credentials }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Every secret the credentials hold (and the email), for scrubbing from a message. */
export function secretsOf(credentials: Credentials): string[] {
  return [credentials.bearer, credentials.oauth?.refreshToken ?? '', credentials.email].filter((secret) => secret !== '');
}

/** An access token expiring within this long is refreshed before a command uses it, as the Python CLI does. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Whether an OAuth login's access token must be refreshed before use (an unreadable expiry counts as expired). */
export function needsRefresh(credentials: Credentials, now: Date): boolean {
  if (credentials.oauth === null) return false;
  const expiresAt = credentials.oauth.expiresAt;
  return expiresAt === null || expiresAt.getTime() - now.getTime() <= REFRESH_MARGIN_MS;
}

/** Shows enough of a key to recognise it, never enough to use it. */
export function maskApiKey(apiKey: string): string {
  if (apiKey.length < 12) return '****';
  return `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
}
