import type { CliConfig, IssuedTokens } from './coordinator.js';

export type AuthorizationResult =
  | { readonly kind: 'authorized'; readonly apiKey: string; readonly email: string }
  /** A callback whose state did not match: a forged or stale request. */
  | { readonly kind: 'state-mismatch' }
  /** A callback with the right state but no key. */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'timed-out' };

/**
 * The callback URL the login page sends the browser to (`--callback-host`, for a remote development
 * environment whose port is forwarded). The server itself always listens on 127.0.0.1.
 */
export interface CallbackAddress {
  /** `https://my-space.example.dev:9999`, or `http://myhost` when no port was named. */
  readonly origin: string;
  /** The port named in the value, which the server then listens on; null: any free port. */
  readonly port: number | null;
  /** With no port named, whether the URL carries the server's port (`host` alone) or none (a full URL, forwarded as it is). */
  readonly withServerPort: boolean;
  /** Ends with `/callback`. */
  readonly path: string;
}

export interface AuthorizationRequest {
  readonly timeoutMs: number;
  /** Arcade Cloud base URL to log in to; the configured one when absent. */
  readonly cloudUrl?: string;
  /** Where the browser is sent back to; `http://127.0.0.1:<the server's port>/callback` when absent. */
  readonly callback?: CallbackAddress;
  /** Told the login URL before the browser opens, so the user can open it by hand. */
  readonly onLoginUrl: (url: string) => void;
  /** Told at once when the browser could not be opened (the wait goes on: the user opens the URL by hand). */
  readonly onBrowserFailure: (reason: string) => void;
}

export interface OAuthAuthorizationRequest extends AuthorizationRequest {
  readonly coordinatorUrl: string;
  readonly config: CliConfig;
}

export type OAuthAuthorizationResult =
  | { readonly kind: 'authorized'; readonly tokens: IssuedTokens }
  | { readonly kind: 'state-mismatch' }
  /** The Coordinator sent the browser back with an OAuth `error` (the user declined, say). */
  | { readonly kind: 'denied'; readonly error: string; readonly description: string | null }
  | { readonly kind: 'timed-out' };

/** Arcade Cloud's browser logins: a one-shot callback server on loopback and the user's browser. */
export abstract class BrowserLogin {
  /** Today's login: OAuth 2.0 authorization code with PKCE; the code exchanged for tokens before the browser is answered. */
  abstract authorizeOAuth(request: OAuthAuthorizationRequest): Promise<OAuthAuthorizationResult>;
  /** The seed's API-key login, for a Cloud without OAuth. */
  abstract authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}
