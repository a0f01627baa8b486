/**
 * Issue "What is sent": a walk through every failure the CLI can produce, with one distinctive
 * value in every argument, option, host, URL, path and server answer. The user sees the value on
 * stderr; PostHog never receives it, and every failed event's `error_code` is from the list.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ERROR_CODES, type ErrorCode } from '../../src/domain/errors.js';
import type { FakeArcadeCloud } from '../../src/stand-ins/fake-arcade-cloud.js';
import type { FakePosthog } from '../../src/stand-ins/fake-posthog.js';
import { closeServer, listenOnLoopback, pollUntil } from '../../src/stand-ins/http-helpers.js';
import { freePort, type Sandbox } from '../support/sandbox.js';
import { ALICE, useStandIns } from '../support/stand-ins.js';

const SECRET = 'zq-secret-7781';

let posthog: FakePosthog;
let cloud: FakeArcadeCloud;
let sandbox: Sandbox;

useStandIns((world) => ({ posthog, cloud, sandbox } = world), { awaitDeliveries: true });

/** An Arcade stand-in that answers every request as told: the misbehaving server of each case. */
async function scriptedArcade() {
  let answer: (res: ServerResponse) => void = (res) => res.end();
  const { server, url } = await listenOnLoopback((_req: IncomingMessage, res: ServerResponse) => answer(res));
  return {
    url,
    answer(status: number, body: string, type = 'application/json') {
      answer = (res) => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      };
    },
    close: () => closeServer(server),
  };
}

/** `['worker', 'enable', 'x']` to `worker.enable`: the leading words. */
function commandName(args: readonly string[]): string {
  const end = args.findIndex((arg) => !/^[a-z]+$/.test(arg));
  // `worker` is the old name of the `server` group: events name the canonical one.
  return args
    .slice(0, end === -1 ? args.length : end)
    .join('.')
    .replace(/^worker\./, 'server.');
}

interface Case {
  readonly args: string[];
  readonly env?: Record<string, string>;
  readonly before?: () => unknown;
  /** The event's error_code, or null for a usage error (exit 2, not tracked). */
  readonly code: ErrorCode | null;
  /** Whether the message on stderr names the distinctive value (it does whenever the value is part of what went wrong). */
  readonly shown: boolean;
}

describe('a failing command', () => {
  it('shows the user every value, sends PostHog none of them, and always an error_code from the list', async () => {
    sandbox.useWorkDir(`work-${SECRET}`);
    const { stateDir } = sandbox;
    const arcade = await scriptedArcade();
    const credentials = join(stateDir, 'credentials.yaml');
    const logIn = () => {
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      writeFileSync(credentials, `cloud:\n  api:\n    key: ${ALICE.apiKey}\n  user:\n    email: ${ALICE.email}\n`, {
        mode: 0o600,
      });
    };
    const engineAnswers = (status: number, body: string, type?: string) => () => arcade.answer(status, body, type);
    const viaScripted = ['--engine-url', arcade.url];
    const closed = `http://127.0.0.1:${await freePort()}`;
    const cases: Case[] = [
      // Logged out.
      { args: ['whoami'], code: 'not-logged-in', shown: false },
      { args: ['worker', 'enable', SECRET], code: 'not-logged-in', shown: false },
      { args: ['login', '--host', `${SECRET} corp`], code: null, shown: true },
      { args: ['login', '--timeout', SECRET], code: null, shown: true },
      { args: ['login', '--port', SECRET, '--host', 'localhost'], code: null, shown: true },
      { args: ['login'], env: { ARCADE_CLOUD_URL: SECRET }, code: null, shown: true },
      {
        args: ['login', '--timeout', '1', '--callback-host', SECRET],
        env: { FAKE_BROWSER_SAVE_URL: join(sandbox.root, 'login-url') },
        code: 'timeout',
        shown: false,
      },
      { args: ['login'], before: () => (cloud.forgeState = true), code: 'login-failed', shown: false },
      // Logged in (the first of these links the identity: an alias goes out too).
      { args: ['worker', 'enable', SECRET], before: logIn, code: 'not-found', shown: true },
      { args: ['worker', 'disable', `${SECRET}-b`], code: 'not-found', shown: true },
      { args: ['server', 'rm', SECRET, '--yes'], code: 'not-found', shown: false },
      { args: ['server', 'rm', SECRET, '--deregister', '--yes'], code: 'not-found', shown: true },
      { args: ['server', 'logs', SECRET], code: 'not-found', shown: true },
      {
        args: ['server', 'logs', SECRET],
        before: () => cloud.logStreams.set(SECRET, { lines: [SECRET], error: SECRET }),
        code: 'stream-error',
        shown: true,
      },
      { args: ['worker', 'list', '--engine-url', `${closed}/${SECRET}`], code: 'network', shown: false },
      { args: ['worker', 'list'], env: { ARCADE_ENGINE_URL: `${closed}/${SECRET}` }, code: 'network', shown: false },
      { args: ['server', 'list', '--engine-url', SECRET], code: null, shown: true },
      { args: ['server', 'list'], env: { ARCADE_CLOUD_URL: SECRET }, code: null, shown: true },
      {
        args: ['server', 'list', '--engine-url', `${arcade.url}/${SECRET}`],
        before: engineAnswers(404, SECRET),
        code: 'http-4xx',
        shown: true,
      },
      {
        args: ['worker', 'list', ...viaScripted],
        before: engineAnswers(500, `{"error":"${SECRET}"}`),
        code: 'http-5xx',
        shown: false,
      },
      {
        args: ['worker', 'list', ...viaScripted],
        before: engineAnswers(400, `{"error":"${SECRET}"}`),
        code: 'http-4xx',
        shown: false,
      },
      { args: ['worker', 'list', ...viaScripted], before: engineAnswers(401, SECRET), code: 'bad-credentials', shown: false },
      {
        args: ['worker', 'list', ...viaScripted],
        before: engineAnswers(200, `<html>${SECRET}</html>`, 'text/html'),
        code: 'bad-response',
        shown: false,
      },
      {
        args: ['worker', 'list', ...viaScripted],
        before: engineAnswers(200, JSON.stringify({ items: SECRET })),
        code: 'bad-response',
        shown: false,
      },
      { args: ['worker', 'enable', SECRET, ...viaScripted], before: engineAnswers(503, SECRET), code: 'http-5xx', shown: true },
      { args: ['worker', 'list', '--cloud-url', arcade.url], before: engineAnswers(502, SECRET), code: 'http-5xx', shown: false },
      {
        args: ['whoami'],
        before: () => writeFileSync(credentials, `cloud:\n  api: [${SECRET}\n`),
        code: 'bad-credentials',
        shown: true,
      },
      {
        args: ['logout'],
        before: () => {
          rmSync(credentials);
          mkdirSync(credentials);
        },
        code: 'file-system',
        shown: true,
      },
      {
        args: ['usage', 'flush'],
        before: async () => {
          rmSync(credentials, { recursive: true });
          logIn();
          posthog.behaviour = { status: 500 };
          await sandbox.run(['usage', 'status']); // one event pending, at least
        },
        code: 'delivery-incomplete',
        shown: false,
      },
    ];

    const tracked: Case[] = [];
    for (const c of cases) {
      await c.before?.();
      const run = await sandbox.run(c.args, c.env);
      expect([c.args, run.code]).toEqual([c.args, c.code === null ? 2 : 1]);
      if (c.shown) expect([c.args, run.stderr]).toEqual([c.args, expect.stringContaining(SECRET)]);
      if (c.code !== null) tracked.push(c);
      cloud.forgeState = false;
      posthog.behaviour = {};
    }
    await arcade.close();
    // The failed flush left a backoff; deliver what is pending now rather than wait for it to pass.
    expect(await sandbox.run(['usage', 'flush'])).toExitWith(0);

    // Every tracked run's event, in the order the runs happened (each carries its run's start time).
    const events = await pollUntil(
      () => {
        const failed = posthog.events.filter((event) => event.event === 'CLI execution failed');
        return failed.length >= tracked.length ? failed : undefined;
      },
      30_000,
      `${tracked.length} command events`,
    );
    const inOrder = [...events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    expect(inOrder.map((event) => [event.properties.command_name, event.properties.error_code])).toEqual(
      tracked.map((c) => [commandName(c.args), c.code]),
    );
    for (const event of inOrder) expect(Object.keys(ERROR_CODES)).toContain(event.properties.error_code);
    // Device timestamps in seconds, as the Python CLI sends them: their difference is duration_ms, up to its rounding.
    for (const { properties } of posthog.events.filter((event) => event.event !== '$create_alias')) {
      const seconds = (properties.device_end_timestamp as number) - (properties.device_start_timestamp as number);
      const durationMs = properties.duration_ms as number;
      expect(Math.abs(seconds * 1000 - durationMs)).toBeLessThanOrEqual(0.5 + 1e-6); // rounding, and float error
      if (durationMs >= 10) expect(Math.abs(seconds - durationMs / 1000)).toBeLessThanOrEqual(durationMs / 1000 / 10);
    }
    // Nothing of the value anywhere in what PostHog received, aliases and posthog-node's own fields included.
    const received = JSON.stringify(posthog.events.map((event) => event.raw));
    expect(received).not.toContain('zq-secret');
    expect(received).not.toContain(ALICE.apiKey);
    expect(received).not.toContain(ALICE.email);
  });
});
