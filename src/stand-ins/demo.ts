#!/usr/bin/env node
/**
 * `npm run demo`: the whole job on this machine, with no network and no account. Starts the
 * PostHog sink and an Arcade Cloud stand-in on free ports, then runs the identity stages (and a log stream) in a
 * temporary ARCADE_WORK_DIR and shows, after each command, what PostHog received.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatEvent } from './event-format.js';
import { FakeArcadeCloud, type OAuthUser } from './fake-arcade-cloud.js';
import { FakePosthog } from './fake-posthog.js';
import { pollUntil } from './http-helpers.js';

const CLI = fileURLToPath(new URL('../arcade.cjs', import.meta.url));
const BROWSER = `"${process.execPath}" "${fileURLToPath(new URL('./fake-browser.js', import.meta.url))}"`;
const ADA: OAuthUser = {
  accountId: 'usr_demo_ada',
  email: 'ada@example.com',
  organizations: [{ org_id: 'org_demo', name: 'Demo Org', is_default: true }],
  projects: [{ project_id: 'prj_demo', name: 'Default Project', is_default: true }],
};

/** Listens on `port` of 127.0.0.1 (0: any) and closes again; resolves to the port, or null when it is taken. */
async function tryPort(port: number): Promise<number | null> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

// The login's callback listens where today's Arcade login does (127.0.0.1:9905), unless that port is taken.
const callback = (await tryPort(9905)) !== null ? [] : ['--callback-host', `127.0.0.1:${await tryPort(0)}`];

const stages: Array<{ title: string; args: string[] }> = [
  { title: '1. An anonymous command', args: ['usage', 'status'] },
  {
    title: '2. Log in: OAuth with PKCE, as Arcade logs in today (the browser step is played automatically)',
    args: ['login', '--timeout', '20', ...callback],
  },
  { title: '3. An authenticated command', args: ['whoami'] },
  { title: "4. Another: a server's logs, streamed from the Cloud stand-in", args: ['server', 'logs', 'demo-server'] },
  { title: '5. Log out', args: ['logout'] },
  { title: '6. Anonymous again, under a fresh id', args: ['usage', 'status'] },
];

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`.trimEnd() });
    });
  });
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

const workDir = mkdtempSync(join(tmpdir(), 'arcade-demo-'));
const [posthog, cloud] = await Promise.all([FakePosthog.start(), FakeArcadeCloud.start()]);
cloud.oauth = true;
cloud.oauthLoginUser = ADA;
cloud.logStreams.set('demo-server', {
  lines: [
    'INFO  server started on :8002',
    'INFO  tool call Github.CreateIssue (212 ms)',
    'INFO  tool call Slack.SendMessage (88 ms)',
  ],
  intervalMs: 200,
});
const env: NodeJS.ProcessEnv = {
  ...process.env,
  ARCADE_WORK_DIR: workDir,
  ARCADE_POSTHOG_HOST: posthog.url,
  ARCADE_POSTHOG_KEY: 'phc_demo',
  ARCADE_CLOUD_URL: cloud.url,
  BROWSER,
  // The demo sends only to the local sink, so it shows tracking even where it is switched off.
  ARCADE_USAGE_TRACKING: '1',
};
delete env.ARCADE_USAGE_DEBUG;

let failed = false;
try {
  process.stdout.write(
    `arcade demo: PostHog sink at ${posthog.url}, Arcade Cloud stand-in at ${cloud.url}\nstate in ${workDir}/.arcade (deleted at the end)\n`,
  );
  for (const stage of stages) {
    const seen = posthog.events.length;
    process.stdout.write(`\n${stage.title}\n  $ arcade ${stage.args.join(' ')}\n`);
    const result = await run(stage.args, env);
    process.stdout.write(`${indent(result.output)}\n`);
    // Every stage sends one command event; the login also sends the alias.
    const expected = seen + (stage.args[0] === 'login' ? 2 : 1);
    await posthog.waitForEvents(expected, 15_000);
    process.stdout.write(
      `  PostHog received:\n${posthog.events
        .slice(seen)
        .map((event) => `    ${formatEvent(event)}`)
        .join('\n')}\n`,
    );
  }
  const aliases = posthog.events.filter((event) => event.event === '$create_alias').length;
  process.stdout.write(
    `\n${posthog.events.length} events in ${posthog.requests.length} request(s), ${aliases} alias, every one accepted by the sink's PostHog validation.\n`,
  );
} catch (error) {
  failed = true;
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  // Let the last background delivery finish before its directory goes away.
  await pollUntil(
    () => (existsSync(join(workDir, '.arcade', 'usage-delivery.lock')) ? undefined : true),
    12_000,
    'the background delivery to finish',
  ).catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
  await Promise.all([posthog.close(), cloud.close()]);
}
process.exit(failed ? 1 : 0);
