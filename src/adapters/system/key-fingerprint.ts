import { createHash } from 'node:crypto';

/** SHA-256 of an API key: enough to notice a changed key, useless to anyone who reads it. */
export function keyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}
