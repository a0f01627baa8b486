export type AuthorizationResult =
  | { readonly kind: 'authorized'; readonly apiKey: string; readonly email: string }
  /** A callback whose state did not match: a forged or stale request. */
  | { readonly kind: 'state-mismatch' }
  /** A callback with the right state but no key. */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'timed-out' };

export interface AuthorizationRequest {
  readonly timeoutMs: number;
  /** Arcade Cloud base URL to log in to; the configured one when absent. */
  readonly cloudUrl?: string;
  /** Host named in the callback URL (the server itself listens on 127.0.0.1 only). */
  readonly callbackHost?: string;
  /** Told the login URL before the browser opens, so the user can open it by hand. */
  readonly onLoginUrl: (url: string) => void;
}

/** Arcade Cloud's browser login: a one-shot callback server on loopback and the user's browser. */
export abstract class BrowserLogin {
  abstract authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}
