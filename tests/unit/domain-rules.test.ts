/** The pure decisions of the domain, with fixed inputs. */
import { count, httpStatus, id, path, systemWord, text, url, value, withoutUserinfo } from '../../src/domain/errors.js';
import { describe, expect, it } from '@jest/globals';
import { FAILED_LOOKUP_RETRY_MS, lookupIsDue, newIdentity, planAttribution } from '../../src/domain/identity.js';
import {
  BATCH_MAX_MESSAGES,
  isBurst,
  OUTBOX_MAX_EVENTS,
  planBatches,
  planPrune,
  predatesDisable,
  retryDelayMs,
  type PendingEntry,
} from '../../src/domain/delivery-policy.js';
import { maskApiKey } from '../../src/domain/principal.js';
import { scrubErrorMessage } from '../../src/domain/privacy.js';
import { isoTimestamp, notAhead } from '../../src/domain/timestamp.js';
import { decideTracking } from '../../src/domain/tracking-decision.js';
import { aliasMessage, commandEvent } from '../../src/domain/usage-event.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const ANON = '11111111-1111-4111-8111-111111111111';

describe('decideTracking', () => {
  const unset = { kind: 'unset' } as const;
  it.each([
    [{}, unset, true, 'default'],
    [{ ARCADE_USAGE_TRACKING: '0' }, unset, false, 'env-disabled'],
    [{ ARCADE_USAGE_TRACKING: 'false' }, unset, false, 'env-disabled'],
    [{ ARCADE_USAGE_TRACKING: 'OFF' }, unset, false, 'env-disabled'],
    [{ ARCADE_USAGE_TRACKING: 'No' }, unset, false, 'env-disabled'],
    [{ ARCADE_USAGE_TRACKING: 'maybe' }, unset, false, 'env-unrecognized'],
    [{ DO_NOT_TRACK: '1' }, unset, false, 'do-not-track'],
    [{ DO_NOT_TRACK: 'true' }, unset, false, 'do-not-track'],
    [{ DO_NOT_TRACK: '0' }, unset, true, 'default'],
    [{ DO_NOT_TRACK: '1', ARCADE_USAGE_TRACKING: 'yes' }, unset, true, 'env-enabled'],
    [{ ARCADE_USAGE_TRACKING: 'on' }, { kind: 'chosen', tracking: 'disabled' }, true, 'env-enabled'],
    [{}, { kind: 'chosen', tracking: 'disabled' }, false, 'settings-disabled'],
    [{}, { kind: 'chosen', tracking: 'enabled' }, true, 'settings-enabled'],
    [{}, { kind: 'unreadable', reason: 'it is not valid JSON' }, false, 'settings-unreadable'],
    [{ DO_NOT_TRACK: '1' }, { kind: 'chosen', tracking: 'enabled' }, false, 'do-not-track'],
  ] as const)('%j with settings %j: enabled=%s (%s)', (env, settings, enabled, reason) => {
    const decision = decideTracking(env, settings);
    expect([decision.enabled, decision.reason]).toEqual([enabled, reason]);
  });

  it('tracks nothing without a PostHog project key, whatever is asked for', () => {
    for (const env of [{}, { ARCADE_USAGE_TRACKING: '1' }, { ARCADE_USAGE_DEBUG: '1' }]) {
      const decision = decideTracking(env, { kind: 'chosen', tracking: 'enabled' }, false);
      expect([decision.enabled, decision.reason, decision.debug]).toEqual([false, 'no-project-key', false]);
    }
  });

  it('turns debug on only when tracking is on', () => {
    expect(decideTracking({ ARCADE_USAGE_DEBUG: '1' }, { kind: 'unset' }).debug).toBe(true);
    expect(decideTracking({ ARCADE_USAGE_DEBUG: '1', DO_NOT_TRACK: '1' }, { kind: 'unset' }).debug).toBe(false);
  });
});

describe('identity decisions', () => {
  const fingerprint = 'f'.repeat(64);

  it('looks up a new key, not a known one, and a failed one again only after the retry delay', () => {
    const identity = newIdentity(ANON);
    expect(lookupIsDue(identity, fingerprint, NOW)).toBe(true);
    const known = {
      ...identity,
      lookup: { keyFingerprint: fingerprint, principalId: 'p', checkedAt: NOW.toISOString() },
    };
    expect(lookupIsDue(known, fingerprint, new Date(NOW.getTime() + 365 * 86_400_000))).toBe(false);
    expect(lookupIsDue(known, 'e'.repeat(64), NOW)).toBe(true);
    const failed = {
      ...identity,
      lookup: { keyFingerprint: fingerprint, principalId: null, checkedAt: NOW.toISOString() },
    };
    expect(lookupIsDue(failed, fingerprint, new Date(NOW.getTime() + FAILED_LOOKUP_RETRY_MS - 1))).toBe(false);
    expect(lookupIsDue(failed, fingerprint, new Date(NOW.getTime() + FAILED_LOOKUP_RETRY_MS))).toBe(true);
  });

  it('aliases an unlinked id, leaves a matching link alone, and never merges two principals', () => {
    const fresh = () => '22222222-2222-4222-8222-222222222222';
    const loggedIn = (principalId: string | null) => ({ account: { principalId }, stillLoggedIn: true, lookup: null });
    expect(planAttribution(newIdentity(ANON), loggedIn('p1'), fresh)).toEqual({
      attribution: { distinctId: 'p1', anonymous: false, anonId: ANON },
      next: { anonId: ANON, linkedPrincipalId: 'p1', lookup: null },
      changed: true,
      alias: { principalId: 'p1', anonId: ANON },
    });
    const linked = { anonId: ANON, linkedPrincipalId: 'p1', lookup: null };
    expect(planAttribution(linked, loggedIn('p1'), fresh)).toMatchObject({ changed: false, alias: null });
    expect(planAttribution(linked, loggedIn('p2'), fresh)).toMatchObject({
      next: { anonId: fresh(), linkedPrincipalId: 'p2', lookup: null },
      alias: { principalId: 'p2', anonId: fresh() },
    });
    // An unknown principal (failed lookup) keeps whatever link there is.
    expect(planAttribution(linked, loggedIn(null), fresh)).toMatchObject({ changed: false, attribution: { distinctId: 'p1' } });
  });

  it('rotates a linked identity when nobody is logged in, before the event, and after a logout, after it', () => {
    const fresh = () => '22222222-2222-4222-8222-222222222222';
    const linked = {
      anonId: ANON,
      linkedPrincipalId: 'p1',
      lookup: { keyFingerprint: 'k', principalId: 'p1', checkedAt: NOW.toISOString() },
    };
    expect(planAttribution(linked, { account: null, stillLoggedIn: false, lookup: null }, fresh)).toEqual({
      attribution: { distinctId: fresh(), anonymous: true, anonId: fresh() },
      next: { anonId: fresh(), linkedPrincipalId: null, lookup: null },
      changed: true,
      alias: null,
    });
    expect(planAttribution(linked, { account: { principalId: 'p1' }, stillLoggedIn: false, lookup: null }, fresh)).toEqual({
      attribution: { distinctId: 'p1', anonymous: false, anonId: ANON },
      next: { anonId: fresh(), linkedPrincipalId: null, lookup: null },
      changed: true,
      alias: null,
    });
    // Never an alias once logged out, even for an identity another process already rotated.
    expect(
      planAttribution(newIdentity(ANON), { account: { principalId: 'p1' }, stillLoggedIn: false, lookup: null }, fresh).alias,
    ).toBeNull();
  });
});

describe('events', () => {
  const runtime = {
    cliVersion: '1.2.3',
    runtimeLanguage: 'node',
    runtimeVersion: '20.20.2',
    osType: 'Linux',
    osRelease: '6.1',
    isCi: false,
    homeDir: '/home/ann',
  };
  const run = {
    commandName: 'usage.status',
    exitCode: 0,
    failure: null,
    startedAt: NOW,
    monotonicStartMs: 1000.25,
    monotonicEndMs: 1042.75,
  };

  it('builds a succeeded event with every property, anonymous ones without a person profile', () => {
    const event = commandEvent(run, { distinctId: ANON, anonymous: true, anonId: ANON }, runtime, 'u-1');
    expect(event).toEqual({
      uuid: 'u-1',
      event: 'CLI execution succeeded',
      distinctId: ANON,
      timestamp: NOW.toISOString(),
      properties: {
        command_name: 'usage.status',
        cli_version: '1.2.3',
        runtime_language: 'node',
        runtime_version: '20.20.2',
        os_type: 'Linux',
        os_release: '6.1',
        is_ci: false,
        duration_ms: 43,
        device_start_timestamp: 1.00025,
        device_end_timestamp: 1.04275,
        $process_person_profile: false,
      },
    });
  });

  it('builds a failed event with its code and a scrubbed message, and a principal event without the person flag', () => {
    // A message with placeholders already; scrubbing still catches what slipped through.
    const failure = {
      code: 'bad-credentials' as const,
      message: 'Cannot read /home/ann/.arcade/credentials.yaml for ann@example.com',
    };
    const event = commandEvent(
      { ...run, exitCode: 1, failure },
      { distinctId: 'p1', anonymous: false, anonId: ANON },
      runtime,
      'u-2',
    );
    expect(event.event).toBe('CLI execution failed');
    expect(event.properties.error_code).toBe('bad-credentials');
    expect(event.properties.error_message).toBe('Cannot read ~/.arcade/credentials.yaml for <email>');
    expect(event.properties).not.toHaveProperty('$process_person_profile');
  });

  it('builds the alias as PostHog expects it', () => {
    expect(aliasMessage('p1', ANON, 'u-3', NOW)).toEqual({
      uuid: 'u-3',
      event: '$create_alias',
      distinctId: 'p1',
      properties: { distinct_id: 'p1', alias: ANON },
      timestamp: NOW.toISOString(),
    });
  });
});

describe('scrubErrorMessage', () => {
  it.each([
    ['ENOENT: /home/ann/.arcade/x.yaml', 'ENOENT: ~/.arcade/x.yaml'],
    ['/home/annex/file stays', '/home/annex/file stays'],
    ['contact bob.smith+x@corp.example.org now', 'contact <email> now'],
    ['header Authorization: Bearer abc.def.ghi', 'header Authorization: <redacted>'],
    ['api_key=arc_12345678 failed', 'api_key=<redacted> failed'],
    ['key arc_live_0123456789abcdef rejected', 'key <redacted> rejected'],
    ['token ' + 'a1B2'.repeat(10) + ' bad', 'token <redacted> bad'],
    ['worker 5d3a8f0e-2b1c-4c7d-9e6f-0a1b2c3d4e5f not found', 'worker 5d3a8f0e-2b1c-4c7d-9e6f-0a1b2c3d4e5f not found'],
    ['two\nlines', 'two lines'],
  ])('%s', (input, expected) => {
    expect(scrubErrorMessage(input, '/home/ann')).toBe(expected);
  });

  it('removes known secrets exactly and keeps at most 300 characters', () => {
    expect(scrubErrorMessage('bad key sekrit-value-1', '/home/ann', ['sekrit-value-1'])).toBe('bad key <redacted>');
    const long = scrubErrorMessage('x '.repeat(400), '/home/ann');
    expect(long.length).toBe(300);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('maskApiKey', () => {
  it('shows at most the first and last four characters', () => {
    expect(maskApiKey('arc_live_0123456789abcdef')).toBe('arc_…cdef');
    expect(maskApiKey('short')).toBe('****');
  });
});

describe('delivery policy', () => {
  const entry = (id: string, recordedAt: string, messages = 1): PendingEntry => ({
    id,
    recordedAt,
    skippedRuns: 0,
    messages: Array.from({ length: messages }, (_, i) => ({
      uuid: `${id}-${i}`,
      event: 'e',
      distinctId: 'd',
      properties: {},
      timestamp: recordedAt,
    })),
  });

  it('drops entries older than 30 days, then the oldest beyond 1,000 messages', () => {
    const old = entry('old', '2026-10-20T00:00:00.000Z', 2);
    const many = Array.from({ length: OUTBOX_MAX_EVENTS + 3 }, (_, i) =>
      entry(`e${String(i).padStart(4, '0')}`, '2026-11-24T00:00:00.000Z'),
    );
    const plan = planPrune([old, ...many], NOW);
    expect(plan.droppedMessages).toBe(5);
    expect(plan.drop.map((e) => e.id)).toEqual(['old', 'e0000', 'e0001', 'e0002']);
    expect(plan.keep).toHaveLength(OUTBOX_MAX_EVENTS);
    expect(plan.keep[0].id).toBe('e0003');
  });

  it('keeps an alias with its event when batching', () => {
    const entries = [
      entry('a', NOW.toISOString(), BATCH_MAX_MESSAGES - 1),
      entry('b', NOW.toISOString(), 2),
      entry('c', NOW.toISOString(), 1),
    ];
    expect(planBatches(entries).map((batch) => batch.map((e) => e.id))).toEqual([['a'], ['b', 'c']]);
  });

  it('calls two command runs gathered by a linger a burst, not one run and its alias queued on its own (login)', () => {
    const at = NOW.toISOString();
    const aliasOnly: PendingEntry = {
      ...entry('alias', at),
      messages: [{ ...entry('alias', at).messages[0], event: '$create_alias' }],
    };
    expect(isBurst([entry('one', at)])).toBe(false);
    expect(isBurst([aliasOnly, entry('login', at)])).toBe(false);
    expect(isBurst([entry('one', at), entry('two', at)])).toBe(true);
    // An entry holding an alias and the event it precedes is one run.
    expect(isBurst([{ ...entry('linked', at, 2), messages: [aliasOnly.messages[0], entry('linked', at).messages[0]] }])).toBe(
      false,
    );
  });

  it('backs off exponentially up to ten minutes', () => {
    expect([0, 1, 2, 3, 20].map(retryDelayMs)).toEqual([0, 2000, 4000, 8000, 600_000]);
  });
});

describe('error messages (text)', () => {
  it('shows every value, and sends each as its placeholder', () => {
    const message = text`Worker ${id('acme')} at ${url('http://h')} in ${path('/p')} said ${value('no')}.`;
    expect(message).toEqual({
      shown: 'Worker acme at http://h in /p said no.',
      sent: 'Worker <id> at <url> in <path> said <value>.',
    });
  });

  it('sends a status, a count and an OS word as they are only when they are what they claim to be', () => {
    expect(text`${httpStatus(503)} ${count(3)} ${systemWord('ECONNREFUSED')} ${systemWord('open')} Arcade Engine`.sent).toBe(
      '503 3 ECONNREFUSED open Arcade Engine',
    );
    expect(text`${httpStatus(7781)} ${count(-1)} ${systemWord('zq-secret-7781')} ${systemWord('Eacces x')}`.sent).toBe(
      '<value> <value> <value> <value>',
    );
  });

  it('nests: a message built of messages keeps every placeholder', () => {
    const inner = text`(${value('server text')})`;
    expect(text`Failed ${inner}.`).toEqual({ shown: 'Failed (server text).', sent: 'Failed (<value>).' });
  });
});

describe('isoTimestamp', () => {
  it('writes exactly what toISOString writes, over a spread of dates, and leaves the rest to it', () => {
    const dates = [
      0,
      1,
      9,
      10,
      99,
      100,
      999,
      Date.UTC(1000, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2026, 10, 24, 9, 5, 7, 42),
      Date.UTC(10000, 0, 1),
      Date.UTC(999, 11, 31),
      -1,
    ].map((ms) => new Date(ms));
    // A pseudo-random walk over four centuries, seeded so a failure names a date that reproduces.
    let seed = 7781;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      dates.push(new Date(Date.UTC(1900, 0, 1) + (seed / 2 ** 31) * 400 * 365.25 * 86_400_000));
    }
    for (const date of dates) expect([date.getTime(), isoTimestamp(date)]).toEqual([date.getTime(), date.toISOString()]);
    expect(() => isoTimestamp(new Date(NaN))).toThrow(RangeError);
  });
});

describe('dates from a clock that ran ahead', () => {
  const YEAR_MS = 365 * 86_400_000;
  const ahead = new Date(NOW.getTime() + YEAR_MS).toISOString();

  it('takes a stored date ahead of now as now, and leaves others as they are', () => {
    expect(notAhead(ahead, NOW)).toBe(NOW.toISOString());
    expect(notAhead('2026-11-24T11:00:00.000Z', NOW)).toBe('2026-11-24T11:00:00.000Z');
    expect(notAhead('soon', NOW)).toBe('soon');
  });

  it('looks a failed lookup dated ahead up again at once', () => {
    const failed = {
      ...newIdentity('a'),
      lookup: { keyFingerprint: 'f'.repeat(64), principalId: null, checkedAt: ahead },
    };
    expect(lookupIsDue(failed, 'f'.repeat(64), NOW)).toBe(true);
  });

  it('discards nothing for a disable dated ahead, and what came before a past one', () => {
    const entry: PendingEntry = { id: 'e', recordedAt: NOW.toISOString(), messages: [], skippedRuns: 0 };
    expect(predatesDisable(entry, ahead, NOW)).toBe(false);
    expect(predatesDisable(entry, 'not a date', NOW)).toBe(false);
    expect(predatesDisable(entry, null, NOW)).toBe(false);
    const later = new Date(NOW.getTime() + 1000);
    expect(predatesDisable(entry, later.toISOString(), new Date(NOW.getTime() + 2000))).toBe(true);
  });
});

describe('URLs shown', () => {
  it('lose their userinfo, and only that', () => {
    expect(withoutUserinfo('https://ann:s3cret@proxy.example:8080/x?y=1')).toBe('https://proxy.example:8080/x?y=1');
    expect(withoutUserinfo('https://token@host')).toBe('https://host/');
    expect(withoutUserinfo('https://host')).toBe('https://host');
    expect(withoutUserinfo('not a url')).toBe('not a url');
    expect(text`at ${url('http://a:b@h/')}`).toEqual({ shown: 'at http://h/', sent: 'at <url>' });
  });
});
