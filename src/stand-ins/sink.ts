#!/usr/bin/env node
/**
 * `npm run sink`: a local PostHog-compatible capture server that prints every event it receives.
 * Point ARCADE_POSTHOG_HOST at it to see exactly what the CLI sends.
 *   --port N   listen on this port (default 8010; 0 picks a free one)
 *   --json     print each event as one raw JSON line instead
 */
import { formatEvent } from './event-format.js';
import { FakePosthog } from './fake-posthog.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 8010;
if (
  !Number.isInteger(port) ||
  port < 0 ||
  port > 65535 ||
  args.some((arg, i) => !['--json', '--port'].includes(arg) && args[i - 1] !== '--port')
) {
  process.stderr.write('usage: npm run sink -- [--port N] [--json]\n');
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
sink.onEvent = (event) => {
  const { requestIndex: _request, receivedAt: _received, ...raw } = event;
  process.stdout.write(`${json ? JSON.stringify(raw) : formatEvent(event)}\n`);
};
sink.onRejected = (status, reason) =>
  process.stdout.write(
    `${json ? JSON.stringify({ rejected: status, reason }) : `rejected a request: HTTP ${status} (${reason})`}\n`,
  );
process.stderr.write(`PostHog sink listening on ${sink.url}\n  ARCADE_POSTHOG_HOST=${sink.url} arcade usage status\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void sink.close().then(() => process.exit(0)));
}
