import type { CloudDeployment } from '../worker.js';
import type { ApiAccess } from './engine-workers.js';

/** Arcade Cloud's worker deployments. Failures are AppErrors with a one-line message. */
export abstract class CloudDeployments {
  /** Every deployment. A list endpoint that is missing (404) or answers the wrong shape is an AppError naming the setting. */
  abstract list(access: ApiAccess): Promise<CloudDeployment[]>;
  /** Resolves to false when there is no such deployment. */
  abstract remove(access: ApiAccess, name: string): Promise<boolean>;
}
