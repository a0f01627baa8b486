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
try {
  await fetch(url, { redirect: 'follow' });
} catch {
  // The CLI reports the outcome of the login; the browser has nothing to add.
}
