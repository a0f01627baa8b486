import { hash } from 'node:crypto';

/**
 * SHA-256 of an API key: enough to notice a changed key, useless to anyone who reads it.
 * (`crypto.hash`, a one-shot digest, costs a tracked command a third of what `createHash` does on first use.)
 */
export function keyFingerprint(apiKey: string): string {
  return hash('sha256', apiKey, 'hex');
}
