import { spawn } from 'node:child_process';
import { BrowserCommandError, browserCommand } from './browser-command.js';

/**
 * Opens `url` with `BROWSER` (split into words, never run through a shell; see browser-command.ts)
 * or the platform's opener. Fire and forget: the URL is printed too, so a browser that fails to
 * start, or a `BROWSER` that cannot be read, costs nothing.
 */
export function openInBrowser(url: string, env: Readonly<Record<string, string | undefined>>): void {
  let command: [string, string[]] | null;
  try {
    command = env.BROWSER ? browserCommand(env.BROWSER, url) : null;
  } catch (error) {
    // A malformed BROWSER (an unterminated quote) opens nothing; the user opens the printed URL.
    if (error instanceof BrowserCommandError) return;
    throw error;
  }
  const [file, args] = command ?? platformOpener(url);
  const child = spawn(file, args, { stdio: 'ignore', detached: true, env: { ...env } });
  child.on('error', () => undefined); // no such program on this machine: the user opens the printed URL
  child.unref();
}

function platformOpener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  // rundll32 takes the URL as one argument, with no `cmd` (and so no shell) in between.
  if (process.platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}
