import { AppError, text } from '../domain/errors.js';
import { CloudDeployments } from '../domain/ports/cloud-deployments.js';
import { AuthorizeArcade } from './authorize-arcade.js';
import { EngineWorkers } from '../domain/ports/engine-workers.js';
import { workerNotFound, type ApiTargets } from './require-credentials.js';

export interface RemovedWorker {
  readonly cloudDeploymentDeleted: boolean;
  readonly engineDeregistered: boolean;
}

export interface RemoveRequest {
  /** `--deregister`: the Engine registration only; the Cloud deployment stays. */
  readonly deregisterOnly: boolean;
  readonly targets: ApiTargets;
  /** Asked once the user is known to be logged in, before anything is deleted; false stops with nothing removed. */
  readonly confirm: () => Promise<boolean>;
}

/**
 * `arcade server rm ID`, as the Python Arcade CLI does it: the Cloud deployment first, and when
 * there is none, stop without touching the Engine; then the Engine registration. `--deregister`:
 * the Engine only.
 */
export class RemoveWorker {
  static readonly inject = [AuthorizeArcade, EngineWorkers, CloudDeployments] as const;

  constructor(
    private readonly authorize: AuthorizeArcade,
    private readonly engine: EngineWorkers,
    private readonly cloud: CloudDeployments,
  ) {}

  async execute(id: string, request: RemoveRequest): Promise<RemovedWorker> {
    const { bearer } = await this.authorize.execute();
    if (!(await request.confirm())) throw new AppError('cancelled', text`Cancelled.`);
    if (!request.deregisterOnly && !(await this.cloud.remove({ bearer, target: request.targets.cloud }, id)))
      throw new AppError(
        'not-found',
        text`Deployment not found. To deregister the worker from the engine, use the --deregister flag.`,
      );
    const engineDeregistered = await this.engine.deregister({ bearer, target: request.targets.engine }, id);
    if (request.deregisterOnly && !engineDeregistered) throw workerNotFound(id);
    return { cloudDeploymentDeleted: !request.deregisterOnly, engineDeregistered };
  }
}
