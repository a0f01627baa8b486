import { AppError, count, id, text, value } from '../domain/errors.js';
import { Clock } from '../domain/ports/clock.js';
import { AuthorizeArcade } from './authorize-arcade.js';
import type { ApiTarget } from '../domain/ports/engine-workers.js';
import { WorkerLogStream, type LogEvent } from '../domain/ports/worker-logs.js';
import { workerNotFound } from './require-credentials.js';

/** Reconnections after a drop with nothing new received in between, before giving up. */
export const LOG_RECONNECTS = 3;
/** Reconnections in all, new lines between them or not: a stream that drops this often is not one to follow. */
export const LOG_RECONNECTS_TOTAL = 30;
/** The wait before the first reconnection; it doubles each time. */
export const LOG_RECONNECT_DELAY_MS = 500;

export interface LogWatch {
  readonly cloud: ApiTarget;
  /** Each line, as it arrives. */
  readonly print: (event: LogEvent) => void;
  /** A line for the user about the stream itself (a reconnection). */
  readonly notice: (line: string) => void;
}

/**
 * `arcade server logs ID`: follows the worker's log stream until `[DONE]`. A dropped connection is
 * resumed after the last event received (`Last-Event-ID`), so no line is printed twice or skipped
 * (the event resumed after, sent again first, is not printed again); it gives up after
 * LOG_RECONNECTS drops in a row with nothing new received in between, or LOG_RECONNECTS_TOTAL in all.
 */
export class StreamWorkerLogs {
  static readonly inject = [AuthorizeArcade, WorkerLogStream, Clock] as const;

  constructor(
    private readonly authorize: AuthorizeArcade,
    private readonly logs: WorkerLogStream,
    private readonly clock: Clock,
  ) {}

  async execute(workerId: string, watch: LogWatch): Promise<void> {
    const { bearer } = await this.authorize.execute();
    let lastEventId: string | null = null;
    for (let drops = 0, reconnects = 0; ; reconnects += 1) {
      const resumedAfter = lastEventId;
      let received = false;
      const end = await this.logs.follow({ bearer, target: watch.cloud }, workerId, lastEventId, (event) => {
        if (!received && resumedAfter !== null && event.id === resumedAfter) return; // printed before the drop
        received = true;
        lastEventId = event.id;
        watch.print(event);
      });
      switch (end.kind) {
        case 'done':
          return;
        case 'not-found':
          throw workerNotFound(workerId);
        case 'error':
          throw new AppError('stream-error', text`The log stream of ${id(workerId)} reported an error: ${value(end.message)}`);
        case 'dropped':
          drops = received ? 1 : drops + 1;
          if (drops > LOG_RECONNECTS)
            throw new AppError(
              'network',
              text`The log stream of ${id(workerId)} dropped ${count(drops)} times in a row (${value(end.reason)}); giving up.`,
            );
          if (reconnects >= LOG_RECONNECTS_TOTAL)
            throw new AppError(
              'network',
              text`The log stream of ${id(workerId)} dropped ${count(reconnects + 1)} times (${value(end.reason)}); giving up.`,
            );
          watch.notice(
            end.connected
              ? `The log stream dropped (${end.reason}); reconnecting (${drops} of ${LOG_RECONNECTS})...`
              : `Could not connect to the log stream (${end.reason}); trying again (${drops} of ${LOG_RECONNECTS})...`,
          );
          await this.clock.sleep(LOG_RECONNECT_DELAY_MS * 2 ** (drops - 1));
      }
    }
  }
}
