/**
 * `BROWSER` as an argument vector, never through a shell: the value is split into words as a POSIX
 * shell would split plain text (whitespace separates; single quotes, double quotes and backslashes
 * quote) but nothing is expanded, so `$(...)`, backticks and `;` stay literal characters. Each `%s`
 * becomes the URL inside its word; with no `%s`, the URL is the last argument. Like Python's
 * `webbrowser`, a list of commands separated by the path delimiter names the first one to use.
 */
import { delimiter } from 'node:path';

export class BrowserCommandError extends Error {}

export function browserCommand(browser: string, url: string): [string, string[]] | null {
  const first = browser
    .split(delimiter)
    .map((entry) => entry.trim())
    .find((entry) => entry !== '');
  if (first === undefined) return null;
  const words = splitWords(first);
  if (words.length === 0) return null;
  const withUrl = words.some((word) => word.includes('%s')) ? words.map((word) => word.replaceAll('%s', url)) : [...words, url];
  const [command, ...args] = withUrl;
  return [command, args];
}

/** Splits plain text into words the way a POSIX shell quotes, without any expansion. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new BrowserCommandError('BROWSER has an unterminated single quote.');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      let quoted = '';
      for (i += 1; i < text.length && text[i] !== '"'; i++) {
        // Inside double quotes a backslash quotes only these, as in a shell.
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) i += 1;
        quoted += text[i];
      }
      if (i >= text.length) throw new BrowserCommandError('BROWSER has an unterminated double quote.');
      word = (word ?? '') + quoted;
    } else if (char === '\\' && i + 1 < text.length) {
      i += 1;
      word = (word ?? '') + text[i];
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== null) words.push(word);
  return words;
}
