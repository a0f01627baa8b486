import { spawn } from 'node:child_process';

/**
 * Opens `url` with `BROWSER` (the URL appended, or put in place of `%s`) or the platform's opener.
 * Fire and forget: the URL is printed too, so a browser that fails to start costs nothing.
 */
export function openInBrowser(url: string, env: Readonly<Record<string, string | undefined>>): void {
  const browser = env.BROWSER?.trim();
  const child = browser
    ? spawn(browser.includes('%s') ? browser.replaceAll('%s', shellQuote(url)) : `${browser} ${shellQuote(url)}`, {
        shell: true,
        stdio: 'ignore',
        detached: true,
        env: { ...env },
      })
    : spawn(...platformOpener(url), { stdio: 'ignore', detached: true });
  child.on('error', () => undefined); // no opener on this machine: the user opens the printed URL
  child.unref();
}

function platformOpener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replaceAll('&', '^&')]];
  return ['xdg-open', [url]];
}

function shellQuote(text: string): string {
  return process.platform === 'win32' ? `"${text}"` : `'${text.replaceAll("'", `'\\''`)}'`;
}
