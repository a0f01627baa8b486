/** The sink (the fake PostHog the demo and tests use) takes every capture endpoint and validates as PostHog does. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { FakePosthog, validateEvent } from '../../src/stand-ins/fake-posthog.js';

const event = {
  event: 'CLI execution succeeded',
  distinct_id: 'd-1',
  uuid: '3f6c8a52-9a57-4a8f-b1b5-0f5d8f0e7c21',
  timestamp: '2026-11-24T15:13:04.786Z',
  properties: { command_name: 'whoami' },
};
let sink: FakePosthog;

beforeEach(async () => {
  sink = await FakePosthog.start();
});

afterEach(() => sink.close());

const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  fetch(`${sink.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('FakePosthog', () => {
  it('accepts gzip /batch/, a single event on /capture/ and /e/', async () => {
    expect(
      (await post('/batch/', gzipSync(JSON.stringify({ api_key: 'k', batch: [event] })), { 'content-encoding': 'gzip' })).status,
    ).toBe(200);
    expect(
      (await post('/capture/', JSON.stringify({ api_key: 'k', ...event, uuid: '3f6c8a52-9a57-4a8f-b1b5-0f5d8f0e7c22' }))).status,
    ).toBe(200);
    expect(
      (await post('/e/', JSON.stringify({ api_key: 'k', ...event, uuid: '3f6c8a52-9a57-4a8f-b1b5-0f5d8f0e7c23' }))).status,
    ).toBe(200);
    expect(sink.events.map((e) => e.uuid.slice(-2))).toEqual(['21', '22', '23']);
  });

  it('refuses what PostHog refuses: no api_key, no distinct_id, a bad uuid or timestamp', async () => {
    expect((await post('/batch/', JSON.stringify({ batch: [event] }))).status).toBe(401);
    expect((await post('/batch/', JSON.stringify({ api_key: 'k', batch: [{ ...event, distinct_id: '' }] }))).status).toBe(400);
    expect(validateEvent({ ...event, uuid: 'not-a-uuid' })).toBe('invalid uuid');
    expect(validateEvent({ ...event, timestamp: 'yesterday' })).toBe('invalid timestamp');
    expect(validateEvent({ ...event, event: '' })).toBe('missing event name');
    expect(validateEvent(event)).toBeNull();
    expect(sink.events).toEqual([]);
  });

  it('answers as told: a status, or only after a delay', async () => {
    sink.behaviour = { status: 503 };
    expect((await post('/batch/', JSON.stringify({ api_key: 'k', batch: [event] }))).status).toBe(503);
    sink.behaviour = { delayMs: 50 };
    expect((await post('/batch/', JSON.stringify({ api_key: 'k', batch: [event] }))).status).toBe(200);
    expect(sink.requests.map((r) => r.status)).toEqual([503, 200]);
  });
});
