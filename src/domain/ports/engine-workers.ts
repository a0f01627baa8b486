import type { EngineWorker } from '../worker.js';

/** Who calls, and where: the API key, and a base URL overriding the configured one. */
export interface ApiAccess {
  readonly apiKey: string;
  readonly baseUrl?: string;
}

/** Arcade Engine's worker registry. Failures are AppErrors with a one-line message. */
export abstract class EngineWorkers {
  /** Every registered worker, over all pages. */
  abstract list(access: ApiAccess): Promise<EngineWorker[]>;
  /** The toolkit name of every tool the worker serves, over all pages, in order (repeats included); [] when the Engine does not know the worker's tools. */
  abstract toolkitsOf(access: ApiAccess, workerId: string): Promise<string[]>;
  /** Resolves to false when there is no such worker. */
  abstract setEnabled(access: ApiAccess, workerId: string, enabled: boolean): Promise<boolean>;
  /** Resolves to false when there is no such worker. */
  abstract deregister(access: ApiAccess, workerId: string): Promise<boolean>;
}
