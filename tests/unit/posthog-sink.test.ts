/**
 * The PostHog adapter over real HTTP on loopback: what it counts as acknowledged, and how it ends a
 * request that PostHog (or whatever answers in its place) does not finish properly.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PosthogSink } from '../../src/adapters/posthog/posthog-sink.js';
import { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import type { OutboundMessage } from '../../src/domain/usage-event.js';

let posthog: FakePosthog;
let counter = 0;

beforeAll(async () => {
  posthog = await FakePosthog.start();
});
afterAll(() => posthog.close());

function message(): OutboundMessage {
  counter += 1;
  return {
    uuid: `3f6c8a52-9a57-4a8f-b1b5-${String(counter).padStart(12, '0')}`,
    event: 'CLI execution succeeded',
    distinctId: 'd-1',
    properties: { command_name: 'whoami' },
    timestamp: '2026-11-24T15:13:04.786Z',
  };
}

describe('PosthogSink', () => {
  it('returns each acknowledged message exactly as PostHog received it', async () => {
    posthog.behaviour = {};
    const messages = [message(), message()];
    const result = await new PosthogSink(posthog.url, 'phc_test').send(messages, 3000);
    expect(result.kind).toBe('accepted');
    const received = posthog.events.filter((event) => messages.some((m) => m.uuid === event.uuid));
    expect(result.kind === 'accepted' && result.wire).toEqual(received.map((event) => event.raw));
    expect(received[0].properties).toMatchObject({ $lib: 'posthog-node', command_name: 'whoami' });
  });

  it.each([
    ['a redirect (not followed)', { status: 307 }, 'HTTP 307'],
    ['an answer larger than 64 KiB', { answerBytes: 10 * 1024 * 1024 }, 'larger than'],
    ['half an answer', { halfAnswer: true }, 'aborted'],
    ['an HTML page with 200', { html: true }, 'without PostHog'],
    ['a dropped connection', { closeAfterReading: true }, 'Network error'],
  ])('counts %s as a failure worth another try, acknowledging nothing', async (_name, behaviour, reason) => {
    posthog.behaviour = behaviour;
    const before = posthog.events.length;
    const result = await new PosthogSink(posthog.url, 'phc_test').send([message()], 3000);
    expect(result).toMatchObject({ kind: 'failed', acknowledged: [] });
    expect(result.kind === 'failed' && result.reason).toContain(reason);
    expect(posthog.events.length).toBe(before);
  });

  it("reports PostHog's Retry-After, and a 400 as a refusal", async () => {
    posthog.behaviour = { status: 429, retryAfterS: 7 };
    expect(await new PosthogSink(posthog.url, 'phc_test').send([message()], 3000)).toMatchObject({
      kind: 'failed',
      retryAfterMs: 7000,
    });
    posthog.behaviour = { status: 400 };
    expect(await new PosthogSink(posthog.url, 'phc_test').send([message()], 3000)).toMatchObject({
      kind: 'rejected',
      status: 400,
    });
  });

  it('ends a trickling answer at its timeout, the body included', async () => {
    posthog.behaviour = { trickleMs: 50 };
    // The whole answer would take 5 s; the request ends at 400 ms, as a timeout.
    const result = await new PosthogSink(posthog.url, 'phc_test').send([message()], 400);
    expect(result).toMatchObject({ kind: 'failed', acknowledged: [] });
    expect(result.kind === 'failed' && result.reason).toContain('within 400 ms');
  });

  it('speaks TLS to an https:// host (a plain-HTTP server there fails the handshake)', async () => {
    posthog.behaviour = {};
    const before = posthog.events.length;
    const result = await new PosthogSink(posthog.url.replace('http:', 'https:'), 'phc_test').send([message()], 3000);
    expect(result.kind).toBe('failed');
    expect(posthog.events.length).toBe(before);
  });
});
