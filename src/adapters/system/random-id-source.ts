import type { IdSource } from '../../domain/ports/id-source.js';

/**
 * Anonymous ids from the secure random source; message ids from the time and `Math.random`, as
 * PostHog's SDK makes its own. A message id only has to be unique: its first 48 bits are the
 * millisecond, so two ids can only meet when made in the same one, and then 74 random bits from
 * a generator each process seeds from the system's entropy keep them apart. The secure source, and
 * loading node:crypto for it, would cost every tracked command more than the rest of its ids
 * (docs/performance.md).
 */
export class RandomIdSource implements IdSource {
  anonymousId(): string {
    // Loaded only for a new anonymous id: node:crypto is slow to load.
    return process.getBuiltinModule('node:crypto').randomUUID();
  }

  messageId(): string {
    return uuidV7(Date.now());
  }
}

/** A UUID v7 (RFC 9562): `unixMs` in the first 48 bits, version 7, the variant, and 74 random bits. */
export function uuidV7(unixMs: number, random: () => number = Math.random): string {
  const hex = (bits: number) => randomHex(bits, random);
  const time = Math.floor(unixMs).toString(16).padStart(12, '0');
  const variantAndRandom = (0x8000 | Math.floor(random() * 0x4000)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(12)}-${variantAndRandom}-${hex(24)}${hex(24)}`;
}

/** `bits` (a multiple of 4, at most 32) random bits as hex digits, from `Math.random` unless told; not for secrets. */
export function randomHex(bits: number, random: () => number = Math.random): string {
  return Math.floor(random() * 2 ** bits)
    .toString(16)
    .padStart(bits / 4, '0');
}
