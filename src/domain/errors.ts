/**
 * Expected failures, and what of them an event may carry. An AppError's message is written with
 * `text`: the user sees it whole on stderr, while an event gets only its code (`error_code`, from
 * ERROR_CODES) and the message with every value from outside the CLI (an argument, option value,
 * host, URL, path, file content or a server's text) replaced by its placeholder. Nothing typed as a
 * plain string can go into a message: a value must say what it is.
 */

/** `error_code`: every code a failed command's event can carry, and what it means (docs/telemetry.md lists them). */
export const ERROR_CODES = {
  'not-logged-in': 'the command needs a login and there are no saved credentials',
  'bad-credentials': 'the saved credentials cannot be read, or Arcade refused their API key (HTTP 401/403)',
  'not-found': 'the worker (or deployment) named does not exist',
  network: 'Arcade could not be reached (DNS, connection refused or reset)',
  timeout: 'a request to Arcade, or the wait for the browser at login, timed out',
  'http-4xx': 'Arcade refused the request (a 4xx other than 401/403), or a list endpoint is missing (404: a wrong URL)',
  'http-5xx': 'Arcade failed (HTTP 5xx)',
  'bad-response': 'Arcade answered with something its API does not promise (not JSON, a missing field, a redirect)',
  'invalid-url': 'a configured URL (ARCADE_CLOUD_URL, ARCADE_ENGINE_URL, an option, a proxy variable) is not a URL',
  'login-failed': 'the browser called back without the login’s state or without an API key',
  'stream-error': 'a worker’s log stream reported an error (`event: error`)',
  cancelled: 'the user answered no to a confirmation (exit 3; nothing was changed)',
  busy: 'another arcade process holds a lock this command needs (the identity, the outbox)',
  'usage-state': 'the state directory cannot be used (owned by another user)',
  'delivery-incomplete': '`arcade usage flush` could not deliver every pending event',
  'file-system': 'a file the command needed is missing, of the wrong kind or not allowed',
  interrupted: 'stopped with Ctrl-C (exit 130)',
  internal: 'a bug in arcade: `error_message` is the error’s class name, never its text',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Arcade's services, named in messages as they are. */
export type ServiceName = 'Arcade Cloud' | 'Arcade Engine';

/** A value from outside the CLI: shown to the user, replaced by its placeholder in events. */
export interface Supplied {
  readonly shown: string;
  readonly sent: string;
}

const supplied =
  (placeholder: string) =>
  (value: string): Supplied => ({ shown: value, sent: placeholder });

/** A name the user gave: a worker id, a deployment name. */
export const id = supplied('<id>');
/**
 * A URL as it may be shown: without its userinfo (`https://user:secret@host` shows as
 * `https://host`), since a password in a setting is not for the screen or a log. Anything that
 * does not parse as a URL is left as it is.
 */
export function withoutUserinfo(value: string): string {
  if (!URL.canParse(value)) return value;
  const parsed = new URL(value);
  if (parsed.username === '' && parsed.password === '') return value;
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

/** A URL or host, from an option, the environment or the configuration; shown without its userinfo. */
export function url(value: string): Supplied {
  return { shown: withoutUserinfo(value), sent: '<url>' };
}
/** A file or directory path. */
export const path = supplied('<path>');
/** Anything else from outside: an option's value, a server's or a parser's text, a user id. */
export const value = supplied('<value>');

/** Words of the CLI's own (a variable's name, a phrase it wrote): sent as they are. */
export function ours(words: string): Supplied {
  return { shown: words, sent: words };
}

/** A count the CLI made itself (events sent, kept): sent as it is. */
export function count(n: number): Supplied {
  return { shown: String(n), sent: Number.isSafeInteger(n) && n >= 0 ? String(n) : '<value>' };
}

/** An HTTP status: a number from a closed range, sent as it is (anything else is a placeholder). */
export function httpStatus(status: number): Supplied {
  return { shown: String(status), sent: Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : '<value>' };
}

/** An operating system error code (`ECONNREFUSED`) or system call (`open`): Node's vocabulary, sent when it looks like one. */
export function systemWord(word: string): Supplied {
  return { shown: word, sent: /^(E[A-Z0-9_]{2,20}|[a-z]{2,12})$/.test(word) ? word : '<value>' };
}

/** A message as the user sees it and as an event carries it. */
export interface ErrorText {
  readonly shown: string;
  readonly sent: string;
}

/** Builds an error message: `` text`Server "${id(name)}" not found.` ``. */
export function text(strings: TemplateStringsArray, ...parts: readonly (Supplied | ServiceName)[]): ErrorText {
  let shown = strings[0];
  let sent = strings[0];
  parts.forEach((part, i) => {
    shown += (typeof part === 'string' ? part : part.shown) + strings[i + 1];
    sent += (typeof part === 'string' ? part : part.sent) + strings[i + 1];
  });
  return { shown, sent };
}

/**
 * An expected failure the user can act on: the CLI prints its message on one line and exits 1,
 * without a stack. Anything else that throws is a bug.
 */
export class AppError extends Error {
  /** The message as an event may carry it: placeholders for every value from outside. */
  readonly sent: string;

  constructor(
    readonly code: ErrorCode,
    message: ErrorText,
  ) {
    super(message.shown);
    this.name = 'AppError';
    this.sent = message.sent;
  }
}

/** What a failed run's event says of the failure. */
export interface Failure {
  readonly code: ErrorCode;
  /** Already free of outside values; scrubbed once more before it is sent. */
  readonly message: string;
}

/** Why a state file could not be read (or deleted), in words for `usage status` and error messages. */
export function fileErrorReason(code: string | undefined, action: 'read' | 'write' | 'delete' = 'read'): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'it is a symbolic link, which arcade does not follow in its state directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EFTYPE':
      return 'it is not a regular file';
    case 'EFBIG':
      return 'it is too large';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'ENOTDIR':
      return 'it, or a directory on its path, is not a directory';
    default:
      return `cannot ${action} it (${code ?? 'error'})`;
  }
}
