import type { ApiAccess } from '../../domain/ports/engine-workers.js';
import type { LogConnectionEnd, LogEvent, WorkerLogStream } from '../../domain/ports/worker-logs.js';

/** One scripted connection to a log stream: the events it carries, then how it ends. */
export interface MemoryLogConnection {
  readonly events: readonly LogEvent[];
  readonly end: LogConnectionEnd;
}

export class MemoryWorkerLogStream implements WorkerLogStream {
  /** Served in order, one per `follow`. */
  connections: MemoryLogConnection[] = [];
  /** The `lastEventId` each connection was opened with. */
  readonly resumedAfter: (string | null)[] = [];

  async follow(_access: ApiAccess, _workerId: string, lastEventId: string | null, onEvent: (event: LogEvent) => void) {
    this.resumedAfter.push(lastEventId);
    const connection = this.connections.shift();
    if (!connection) throw new Error('no scripted log connection left');
    for (const event of connection.events) onEvent(event);
    return connection.end;
  }
}
