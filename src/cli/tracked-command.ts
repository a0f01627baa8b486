import { Command, UsageError } from 'clipanion';
import type { TrackedStart } from '../application/track-command.js';
import { AppError, fileErrorReason, ours, path, systemWord, text, type Failure } from '../domain/errors.js';
import type { CliContext } from './context.js';
import { canSpin, paint, printable } from './terminal.js';

/** The exit code of a command stopped with Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED_EXIT_CODE = 130;
/** The exit code of a command the user said no to at its question (nothing was changed). */
export const CANCELLED_EXIT_CODE = 3;

/** An error from the file system about one path (EACCES, EISDIR, ENOSPC …). */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { path: string; syscall: string; code: string } {
  const candidate = error as NodeJS.ErrnoException;
  return (
    error instanceof Error &&
    typeof candidate.code === 'string' &&
    typeof candidate.path === 'string' &&
    typeof candidate.syscall === 'string'
  );
}

class Interrupted extends Error {
  constructor() {
    super('Interrupted');
  }
}

/** What a thrown error means for the run: the exit code, the line on stderr, and what its event says (none for a usage error: the command never ran). */
interface Outcome {
  readonly exitCode: number;
  readonly shown: string;
  readonly failure: Failure | null;
  /** A bug or the machine's state: ARCADE_DEBUG=1 prints the stack too. */
  readonly stack: string | null;
}

/** What a system call was doing, in a user's words. */
const SYSCALL_VERBS: Readonly<Record<string, 'read' | 'write' | 'delete'>> = {
  open: 'read',
  read: 'read',
  stat: 'read',
  lstat: 'read',
  scandir: 'read',
  access: 'read',
  mkdir: 'write',
  rename: 'write',
  write: 'write',
  fsync: 'write',
  fchmod: 'write',
  chmod: 'write',
  utime: 'write',
  unlink: 'delete',
  rmdir: 'delete',
};

/**
 * The one line for a file the command needed: the path, the cause in words with its code, and
 * what to check. Inside the state directory that is the directory itself (and ARCADE_WORK_DIR),
 * which a user can change; elsewhere, the file.
 */
function fileSystemMessage(
  error: NodeJS.ErrnoException & { path: string; syscall: string; code: string },
  stateDir: string | null,
) {
  const verb = SYSCALL_VERBS[error.syscall];
  const reason = fileErrorReason(error.code, verb ?? 'read');
  const words = reason.startsWith('cannot ') ? systemWord(error.code) : text`${ours(reason)} (${systemWord(error.code)})`;
  const message = text`Cannot ${verb === undefined ? systemWord(error.syscall) : ours(verb)} ${path(error.path)}: ${words}.`;
  const inState = stateDir !== null && (error.path === stateDir || error.path.startsWith(`${stateDir}/`));
  const check = inState
    ? text` Check ${path(stateDir)} and the directory it is in, or set ARCADE_WORK_DIR to a directory arcade can write.`
    : text` Check that file, or run with ARCADE_DEBUG=1 for details.`;
  return { shown: message.shown + check.shown, sent: message.sent + check.sent };
}

export function outcomeOf(error: unknown, stateDir: string | null = null): Outcome {
  if (error instanceof UsageError) return { exitCode: 2, shown: error.message, failure: null, stack: null };
  if (error instanceof Interrupted)
    return {
      exitCode: INTERRUPTED_EXIT_CODE,
      shown: error.message,
      failure: { code: 'interrupted', message: 'Interrupted' },
      stack: null,
    };
  if (error instanceof AppError && error.code === 'cancelled')
    return {
      exitCode: CANCELLED_EXIT_CODE,
      shown: error.message,
      failure: { code: error.code, message: error.sent },
      stack: null,
    };
  if (error instanceof AppError)
    return { exitCode: 1, shown: error.message, failure: { code: error.code, message: error.sent }, stack: null };
  if (isFileSystemError(error)) {
    // A file the command needed is missing, of the wrong kind or not allowed: the machine's state, not a bug.
    const message = fileSystemMessage(error, stateDir);
    return {
      exitCode: 1,
      shown: message.shown,
      failure: { code: 'file-system', message: message.sent },
      stack: error.stack ?? null,
    };
  }
  const detail = error instanceof Error ? error.message : String(error);
  // Only the class name goes out: an unexpected error's text may hold anything.
  const className = error instanceof Error && /^[A-Za-z][A-Za-z0-9]{0,40}$/.test(error.name) ? error.name : 'Error';
  return {
    exitCode: 1,
    shown: `Internal error (a bug in arcade): ${detail}. Run with ARCADE_DEBUG=1 to see where it happened.`,
    failure: { code: 'internal', message: className },
    stack: error instanceof Error ? (error.stack ?? null) : null,
  };
}

/**
 * Every command extends this: it runs the command, turns failures into one line on stderr and an
 * exit code, then records the run's usage event. Tracking happens here and nowhere else, and
 * nothing it does can change what the command printed or returned. A command stopped with Ctrl-C
 * is recorded too (a second Ctrl-C exits at once).
 */
export abstract class TrackedCommand extends Command<CliContext> {
  /** Login and logout: tracking reads the credentials as the command starts, so their change is seen. */
  static readonly changesCredentials: boolean = false;

  /** The command's work; resolves to its exit code. Throw AppError for expected failures. */
  protected abstract run(): Promise<number>;

  override async execute(): Promise<number> {
    const { app, clock } = this.context;
    const startedAt = clock.now();
    const monotonicStartMs = clock.monotonicMs();
    const start = await this.trackingStart();
    let outcome: Outcome = { exitCode: 0, shown: '', failure: null, stack: null };
    // Ctrl-C ends the command and its run is recorded; a second one exits at once. The listener stays
    // until the run is recorded: with `once`, the lock library's exit handler (signal-exit) would
    // find itself the last listener and kill the process by the signal, unrecorded.
    let interrupts = 0;
    let onInterrupt: (() => void) | undefined;
    const interrupted = new Promise<never>((_, reject) => {
      onInterrupt = () => {
        interrupts += 1;
        if (interrupts > 1) process.exit(INTERRUPTED_EXIT_CODE);
        reject(new Interrupted());
      };
      process.on('SIGINT', onInterrupt);
    });
    // The reader of stdout went away (`arcade server list | head -1`): a normal end, exit 0, as
    // gh ends there; the run is still recorded. Left attached: later writes fail the same way.
    let readerGone = false;
    const stdoutClosed = new Promise<number>((resolve) => {
      this.context.stdout.on?.('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
        readerGone = true;
        resolve(0);
      });
    });
    try {
      outcome = { ...outcome, exitCode: await Promise.race([this.run(), interrupted, stdoutClosed]) };
    } catch (error) {
      outcome = outcomeOf(error, this.context.stateDir);
      const { stderr, env } = this.context;
      // On a terminal, the line a spinner may have left is cleared first.
      stderr.write(
        `${canSpin(stderr, env) ? '\r\x1b[K' : ''}${outcome.exitCode === CANCELLED_EXIT_CODE ? printable(outcome.shown) : paint(stderr, env, 'red', printable(outcome.shown))}\n`,
      );
      if (this.context.debug && outcome.stack) this.context.stderr.write(`${outcome.stack}\n`);
    }
    // A usage error (a bad option value) is not tracked: the command never ran.
    const usageError = outcome.exitCode === 2 && outcome.failure === null;
    if (start && !usageError) {
      try {
        const tracked = await app.trackCommand.execute(start, {
          // The canonical path (the first), whichever spelling was typed: `worker list` is `server.list`.
          commandName: ((this.constructor as typeof Command).paths?.[0] ?? this.path).join('.'),
          exitCode: outcome.exitCode,
          failure: outcome.failure,
          startedAt,
          monotonicStartMs,
          monotonicEndMs: clock.monotonicMs(),
        });
        if (tracked.kind === 'recorded' && tracked.notice) this.context.stderr.write(`\n${tracked.notice}\n`);
      } catch (error) {
        // Telemetry must never change the outcome of the user's command: a failure here loses one event, nothing more.
        this.reportTrackingFailure(error);
      }
    }
    process.off('SIGINT', onInterrupt!);
    // The interrupted work (a login's callback server, a log stream nobody reads) would keep the
    // process alive: end it now the event is safe.
    if (outcome.failure?.code === 'interrupted' || readerGone) process.exit(outcome.exitCode);
    return outcome.exitCode;
  }

  private async trackingStart(): Promise<TrackedStart | null> {
    try {
      return await this.context.app.trackCommand.start((this.constructor as typeof TrackedCommand).changesCredentials);
    } catch (error) {
      // As above: a run that cannot be tracked still runs, untracked.
      this.reportTrackingFailure(error);
      return null;
    }
  }

  private reportTrackingFailure(error: unknown): void {
    if (!this.context.debug) return;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.context.stderr.write(`arcade: usage tracking failed for this run (the command is unaffected): ${detail}\n`);
  }
}
