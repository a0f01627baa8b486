/** Message ids (UUID v7), anonymous ids (UUID v4) and the API key's fingerprint (FNV-1a 64). */
import { describe, expect, it } from '@jest/globals';
import { keyFingerprint } from '../../src/adapters/system/key-fingerprint.js';
import { RandomIdSource, uuidV7 } from '../../src/adapters/system/random-id-source.js';
import { isUuid } from '../../src/domain/identity.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The millisecond a UUID v7 carries in its first 48 bits. */
const timeOf = (uuid: string) => parseInt(uuid.replace(/-/g, '').slice(0, 12), 16);

describe('message ids', () => {
  it('are UUID v7s that carry the millisecond they were made in', () => {
    const before = Date.now();
    const id = new RandomIdSource().messageId();
    expect(id).toMatch(V7);
    expect(timeOf(id)).toBeGreaterThanOrEqual(before);
    expect(timeOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('differ from each other even when made in the same millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidV7(1_790_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => V7.test(id) && timeOf(id) === 1_790_000_000_000)).toBe(true);
  });

  it('put every random bit where the layout says, at both ends of the range', () => {
    expect(uuidV7(0, () => 0)).toBe('00000000-0000-7000-8000-000000000000');
    const justUnderOne = () => 1 - Number.EPSILON;
    expect(uuidV7(2 ** 48 - 1, justUnderOne)).toBe('ffffffff-ffff-7fff-bfff-ffffffffffff');
  });
});

describe('anonymous ids', () => {
  it('are random UUID v4s, as the SPEC asks of anon_id', () => {
    const ids = Array.from({ length: 1000 }, () => new RandomIdSource().anonymousId());
    expect(ids.every((id) => V4.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the API key fingerprint', () => {
  it('is FNV-1a 64 (the reference test vectors)', () => {
    expect(keyFingerprint('')).toBe('cbf29ce484222325');
    expect(keyFingerprint('a')).toBe('af63dc4c8601ec8c');
    expect(keyFingerprint('foobar')).toBe('85944171f73967e8');
  });

  it('hashes the UTF-8 bytes of any key, and tells keys one character apart', () => {
    // Computed independently (Python: h = ((h ^ b) * 0x100000001b3) % 2**64 over the UTF-8 bytes).
    expect(keyFingerprint('arc_bench_0123456789abcdefghij_ABCDEFGHIJKLMNOP')).toBe('ead20d95a4ae7388');
    expect(keyFingerprint('clé_🔑')).toBe('3c5d7071545a23a1');
    expect(keyFingerprint('arc_key_0000000001')).not.toBe(keyFingerprint('arc_key_0000000002'));
  });
});

describe('isUuid (the check of a stored anon_id)', () => {
  const REFERENCE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  it('accepts what the UUID layout allows, in either case, and nothing else', () => {
    const good = new RandomIdSource().anonymousId();
    const candidates: unknown[] = [good, good.toUpperCase(), uuidV7(Date.now()), '', good.slice(1), `${good}0`, null, 42, [good]];
    // Every single-character change of a valid id, to each character that matters to the layout.
    for (let at = 0; at < good.length; at += 1)
      for (const swap of ['-', '0', '9', 'a', 'f', 'A', 'F', 'g', 'G', '/', ':', '@', '`', ' ', 'é'])
        candidates.push(`${good.slice(0, at)}${swap}${good.slice(at + 1)}`);
    for (const candidate of candidates)
      expect([candidate, isUuid(candidate)]).toEqual([candidate, typeof candidate === 'string' && REFERENCE.test(candidate)]);
  });
});
