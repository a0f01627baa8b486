import { BrowserCommandError, browserCommand } from './browser-command.js';

/**
 * Opens `url` with `BROWSER` (split into words, never run through a shell; see browser-command.ts)
 * or the platform's opener. The URL is printed too, so a browser that cannot start costs the user
 * one step: `onFailure` says why at once (a malformed `BROWSER`, no such program, a non-zero exit).
 */
export function openInBrowser(
  url: string,
  env: Readonly<Record<string, string | undefined>>,
  onFailure: (reason: string) => void,
): void {
  let command: [string, string[]] | null;
  try {
    command = env.BROWSER ? browserCommand(env.BROWSER, url) : null;
  } catch (error) {
    if (!(error instanceof BrowserCommandError)) throw error;
    return onFailure(`BROWSER cannot be read: ${error.message}`);
  }
  const [file, args] = command ?? platformOpener(url);
  // Loaded here only, so no other command pays for loading it (docs/performance.md).
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(file, args, { stdio: 'ignore', detached: true, env: { ...env } });
  child.on('error', (error: NodeJS.ErrnoException) => onFailure(`${file}: ${error.code ?? error.message}`));
  child.on('exit', (code, signal) => {
    if (code !== 0) onFailure(`${file} exited with ${code === null ? `signal ${signal}` : `code ${code}`}`);
  });
  child.unref();
}

function platformOpener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  // rundll32 takes the URL as one argument, with no `cmd` (and so no shell) in between.
  if (process.platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}
