/** What `.arcade/credentials.yaml` holds: the Arcade Cloud API key and the account's email. */
export interface Credentials {
  readonly apiKey: string;
  readonly email: string;
  /** A fingerprint of the API key, computed by the store; the domain never hashes or logs the key itself. */
  readonly keyFingerprint: string;
}

export type CredentialsRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly credentials: Credentials }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Shows enough of a key to recognise it, never enough to use it. */
export function maskApiKey(apiKey: string): string {
  if (apiKey.length < 12) return '****';
  return `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
}
