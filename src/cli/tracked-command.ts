import { Command, UsageError } from 'clipanion';
import type { TrackedStart } from '../application/track-command.js';
import { AppError } from '../domain/errors.js';
import type { CliContext } from './context.js';

/** The exit code of a command stopped with Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED_EXIT_CODE = 130;

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

/**
 * Every command extends this: it runs the command, turns failures into one line on stderr and an
 * exit code, then records the run's usage event. Tracking happens here and nowhere else, and
 * nothing it does can change what the command printed or returned. A command stopped with Ctrl-C
 * is recorded too (a second Ctrl-C exits at once).
 */
export abstract class TrackedCommand extends Command<CliContext> {
  /** The command's work; resolves to its exit code. Throw AppError for expected failures. */
  protected abstract run(): Promise<number>;

  override async execute(): Promise<number> {
    const { app, clock } = this.context;
    const startedAt = clock.now();
    const monotonicStartMs = clock.monotonicMs();
    const start = await this.trackingStart();
    let exitCode: number;
    let errorMessage: string | null = null;
    let wasInterrupted = false;
    let onInterrupt: (() => void) | undefined;
    const interrupted = new Promise<never>((_, reject) => {
      onInterrupt = () => reject(new Interrupted());
      process.once('SIGINT', onInterrupt);
    });
    try {
      exitCode = await Promise.race([this.run(), interrupted]);
    } catch (error) {
      wasInterrupted = error instanceof Interrupted;
      errorMessage = error instanceof Error ? error.message : String(error);
      exitCode = wasInterrupted ? INTERRUPTED_EXIT_CODE : error instanceof UsageError ? 2 : 1;
      this.reportFailure(error, errorMessage);
    } finally {
      process.off('SIGINT', onInterrupt!);
    }
    if (start) {
      try {
        const outcome = await app.trackCommand.execute(start, {
          commandName: this.path.join('.'),
          exitCode,
          errorMessage,
          startedAt,
          monotonicStartMs,
          monotonicEndMs: clock.monotonicMs(),
        });
        if (outcome.kind === 'recorded' && outcome.notice) this.context.stderr.write(`\n${outcome.notice}\n`);
      } catch (error) {
        // Telemetry must never change the outcome of the user's command: a failure here loses one event, nothing more.
        this.reportTrackingFailure(error);
      }
    }
    // The interrupted work (a login's callback server, say) would keep the process alive: end it now the event is safe.
    if (wasInterrupted) process.exit(exitCode);
    return exitCode;
  }

  private async trackingStart(): Promise<TrackedStart | null> {
    try {
      return await this.context.app.trackCommand.start();
    } catch (error) {
      // As above: a run that cannot be tracked still runs, untracked.
      this.reportTrackingFailure(error);
      return null;
    }
  }

  private reportFailure(error: unknown, message: string): void {
    const { stderr, debug } = this.context;
    if (error instanceof AppError || error instanceof UsageError || error instanceof Interrupted) {
      stderr.write(`${message}\n`);
      return;
    }
    if (isFileSystemError(error)) {
      // A file the command needed is missing, of the wrong kind or not allowed: the machine's state, not a bug.
      stderr.write(
        `Cannot ${error.syscall} ${error.path}: ${error.code}. Check that file, or run with ARCADE_DEBUG=1 for details.\n`,
      );
      if (debug && error.stack) stderr.write(`${error.stack}\n`);
      return;
    }
    stderr.write(`Internal error (a bug in arcade): ${message}. Run with ARCADE_DEBUG=1 to see where it happened.\n`);
    if (debug && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  }

  private reportTrackingFailure(error: unknown): void {
    if (!this.context.debug) return;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.context.stderr.write(`arcade: usage tracking failed for this run (the command is unaffected): ${detail}\n`);
  }
}
