/**
 * A fingerprint of an API key: FNV-1a, 64 bits, of its UTF-8 bytes, as 16 hex digits. It exists
 * to notice that the key changed (and so the principal must be looked up again), and is kept in
 * `usage.json` beside `credentials.yaml`, whose mode is the same. 64 bits cannot give back a key
 * of 30 or more random characters: countless keys share each fingerprint. Not SHA-256: OpenSSL's
 * first digest in a process costs a tracked command far more than this (docs/performance.md).
 */
export function keyFingerprint(apiKey: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of Buffer.from(apiKey, 'utf8')) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV_PRIME);
  return hash.toString(16).padStart(16, '0');
}

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
