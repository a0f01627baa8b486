#!/usr/bin/env node
/**
 * Plays the user's browser for `arcade login` in tests and the demo: set
 * `BROWSER="node dist/stand-ins/fake-browser.js"` and it follows the login URL, redirects included.
 * With FAKE_BROWSER_SAVE_URL=<file> it only writes the URL there.
 */
const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: fake-browser <url>\n');
  process.exit(2);
}
if (process.env.FAKE_BROWSER_SAVE_URL) {
  // Record-only mode: a test wants to look at the callback server before the login completes.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.FAKE_BROWSER_SAVE_URL, url);
  process.exit(0);
}
// A browser has network settings of its own. Here, a host named `<name>.invalid` is a stand-in on
// this machine that the CLI may reach only through a test's proxy (tests/support/http-proxy.ts).
const reachable = url.replace(/^(https?:\/\/)[a-z0-9.-]+\.invalid:/, '$1127.0.0.1:');
try {
  await fetch(reachable, { redirect: 'follow' });
} catch {
  // The CLI reports the outcome of the login; the browser has nothing to add.
}
