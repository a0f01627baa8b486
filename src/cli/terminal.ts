/**
 * What a terminal gets and a pipe does not: a spinner with the seconds elapsed while the CLI waits
 * (on stderr, only when stderr is a terminal other than `TERM=dumb`, outside CI), and colour
 * for errors and warnings (only on such a terminal, never with a non-empty `NO_COLOR`). Written small, with no package: `--version` and
 * untracked commands load nothing more for it.
 */

type Stream = NodeJS.WritableStream & { isTTY?: boolean };
import { isCi } from '../adapters/system/runtime-info.js';

type Env = Readonly<Record<string, string | undefined>>;

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

export interface Spinner {
  /** Clears the spinner's line; nothing was ever written when it had not started. */
  stop(): void;
}

/** Whether `stream` is a terminal that understands cursor movement and colour (`TERM=dumb` does not). */
function isCapableTerminal(stream: Stream, env: Env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Whether a spinner may draw on `stream`: not in CI (by the same variables as the event's `is_ci`). */
export function canSpin(stream: Stream, env: Env): boolean {
  return isCapableTerminal(stream, env) && !isCi(env);
}

/**
 * Shows `label` with a spinner and the seconds elapsed, from `delayMs` on (a wait that ends sooner
 * shows nothing), until `stop`.
 */
export function startSpinner(stream: Stream, env: Env, label: string, delayMs = 0): Spinner {
  if (!canSpin(stream, env)) return { stop: () => undefined };
  const started = Date.now();
  let frame = 0;
  let drawn = false;
  const draw = () => {
    drawn = true;
    const seconds = Math.floor((Date.now() - started) / 1000);
    stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label} (${seconds} s)\x1b[K`);
  };
  let interval: NodeJS.Timeout | undefined;
  const begin = setTimeout(() => {
    draw();
    interval = setInterval(draw, FRAME_MS);
    interval.unref();
  }, delayMs);
  begin.unref();
  return {
    stop: () => {
      clearTimeout(begin);
      clearInterval(interval);
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

/** Runs `work` with a spinner that shows once it has taken `delayMs`. */
export async function withSpinner<T>(stream: Stream, env: Env, label: string, work: () => Promise<T>, delayMs = 0): Promise<T> {
  const spinner = startSpinner(stream, env, label, delayMs);
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}

/** Whether `stream` gets colour: a capable terminal, and no NO_COLOR with a value (an empty one counts as unset, per no-color.org). */
export function canColour(stream: Stream, env: Env): boolean {
  return isCapableTerminal(stream, env) && !env.NO_COLOR;
}

/** `text` in red (errors) or yellow (warnings) when `stream` gets colour, else as it is. */
export function paint(stream: Stream, env: Env, colour: 'red' | 'yellow', text: string): string {
  return canColour(stream, env) ? `\x1b[${colour === 'red' ? 31 : 33}m${text}\x1b[39m` : text;
}

/**
 * Text from outside the CLI (a file, a server) made safe for a terminal: every C0 and C1 control
 * character (ESC, BEL, CR, U+009B...) and DEL becomes U+FFFD, so no escape sequence reaches the
 * screen or the clipboard.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** As `printable`, for text of several lines (a log event): newlines and tabs are kept, nothing else. */
export function printableLines(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/**
 * `--json` output: JSON as JSON.stringify writes it, with DEL and the C1 controls (U+007F-U+009F,
 * which JSON.stringify leaves raw and some terminals obey) escaped too, so the data stays exact
 * and no byte of it is a control for the terminal.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\u009f]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
