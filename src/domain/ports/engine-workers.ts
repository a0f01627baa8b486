import type { EngineWorker } from '../worker.js';

/** Where an API lives, and the setting the user would change to point elsewhere (named in errors). */
export interface ApiTarget {
  readonly url: string;
  /** `--engine-url` when the flag was given, else `ARCADE_ENGINE_URL` (likewise for the Cloud). */
  readonly setting: string;
}

/** Who calls (the API key or OAuth access token, sent as `Authorization: Bearer`), and where. */
export interface ApiAccess {
  readonly bearer: string;
  readonly target: ApiTarget;
}

/** Arcade Engine's worker registry. Failures are AppErrors with a one-line message. */
export abstract class EngineWorkers {
  /** Every registered worker, over all pages. A list endpoint that is missing (404) or answers the wrong shape is an AppError naming the setting. */
  abstract list(access: ApiAccess): Promise<EngineWorker[]>;
  /** The toolkit name of every tool the worker serves, over all pages, in order (repeats included); [] when the Engine does not know the worker's tools. */
  abstract toolkitsOf(access: ApiAccess, workerId: string): Promise<string[]>;
  /** Resolves to false when there is no such worker. */
  abstract setEnabled(access: ApiAccess, workerId: string, enabled: boolean): Promise<boolean>;
  /** Resolves to false when there is no such worker. */
  abstract deregister(access: ApiAccess, workerId: string): Promise<boolean>;
}
