#!/usr/bin/env node
/**
 * `npm run sink`: a local PostHog-compatible capture server that prints every event it receives.
 * Point ARCADE_POSTHOG_HOST at it to see exactly what the CLI sends.
 *   --port N   listen on this port (default 8010; 0 picks a free one)
 *   --json     print each event as one raw JSON line instead
 *   --fail M   misbehave as PostHog might (FAILURE_MODES: html-200, trickle, ...), to watch delivery cope
 */
import { formatEvent } from './event-format.js';
import { FAILURE_MODES, FakePosthog, type FailureMode } from './fake-posthog.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const valueOf = (flag: string) => (args.includes(flag) ? (args[args.indexOf(flag) + 1] ?? '') : undefined);
const port = Number(valueOf('--port') ?? 8010);
const failure = valueOf('--fail');
if (
  !Number.isInteger(port) ||
  port < 0 ||
  port > 65535 ||
  (failure !== undefined && !Object.hasOwn(FAILURE_MODES, failure)) ||
  args.some((arg, i) => !['--json', '--port', '--fail'].includes(arg) && !['--port', '--fail'].includes(args[i - 1] ?? ''))
) {
  process.stderr.write(
    `usage: npm run sink -- [--port N] [--json] [--fail MODE]\n  MODE: ${Object.keys(FAILURE_MODES).join(', ')}\n`,
  );
  process.exit(2);
}

let sink: FakePosthog;
try {
  sink = await FakePosthog.start(port);
} catch (error) {
  process.stderr.write(
    `Cannot listen on 127.0.0.1:${port}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Try --port 0.\n`,
  );
  process.exit(1);
}
if (failure !== undefined) sink.behaviour = FAILURE_MODES[failure as FailureMode];
sink.onEvent = (event) => {
  const { requestIndex: _request, receivedAt: _received, ...raw } = event;
  process.stdout.write(`${json ? JSON.stringify(raw) : formatEvent(event)}\n`);
};
sink.onRejected = (status, reason) =>
  process.stdout.write(
    `${json ? JSON.stringify({ rejected: status, reason }) : `rejected a request: HTTP ${status} (${reason})`}\n`,
  );
process.stderr.write(
  `PostHog sink listening on ${sink.url}${failure ? ` (failing: ${failure})` : ''}\n  ARCADE_POSTHOG_HOST=${sink.url} arcade usage status\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void sink.close().then(() => process.exit(0)));
}
