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

/** Arcade Cloud's browser login: a one-shot callback server on loopback and the user's browser. */
export abstract class BrowserLogin {
  abstract authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}
