import type { ApiAccess } from './engine-workers.js';

/** One log line of a worker, as its server-sent event carried it. */
export interface LogEvent {
  /** The stream's last event id when this line came (SSE `id:`), if it has ever sent one. */
  readonly id: string | null;
  readonly data: string;
}

/** How one connection to a log stream ended. */
export type LogConnectionEnd =
  | { readonly kind: 'done' }
  /** The stream sent `event: error`. */
  | { readonly kind: 'error'; readonly message: string }
  /** The connection broke, or the server closed it, before `[DONE]`. */
  | {
      readonly kind: 'dropped';
      readonly reason: string;
      /** Whether the stream was open (Cloud answered) before it broke, or never connected at all. */
      readonly connected: boolean;
    }
  | { readonly kind: 'not-found' };

/** Arcade Cloud's log stream of a worker (server-sent events). Refusals (401/403, other statuses) are AppErrors. */
export abstract class WorkerLogStream {
  /**
   * One connection: calls `onEvent` for each whole event as it arrives, resuming after
   * `lastEventId` (sent as `Last-Event-ID`) when given. An event cut off by a drop is not reported.
   */
  abstract follow(
    access: ApiAccess,
    workerId: string,
    lastEventId: string | null,
    onEvent: (event: LogEvent) => void,
  ): Promise<LogConnectionEnd>;
}
