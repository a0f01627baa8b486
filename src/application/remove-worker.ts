import { CloudDeployments } from '../domain/ports/cloud-deployments.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { EngineWorkers } from '../domain/ports/engine-workers.js';
import { requireCredentials, workerNotFound, type ApiOverrides } from './require-credentials.js';

export interface RemovedWorker {
  readonly cloudDeploymentDeleted: boolean;
  readonly engineDeregistered: boolean;
}

/** `arcade worker rm ID [--deregister]`: the Cloud deployment, then the Engine registration (`deregister`: Engine only). */
export class RemoveWorker {
  static readonly inject = [CredentialsStore, EngineWorkers, CloudDeployments] as const;

  constructor(
    private readonly credentials: CredentialsStore,
    private readonly engine: EngineWorkers,
    private readonly cloud: CloudDeployments,
  ) {}

  async execute(id: string, options: { deregisterOnly: boolean } & ApiOverrides): Promise<RemovedWorker> {
    const { apiKey } = await requireCredentials(this.credentials);
    const cloudDeploymentDeleted = options.deregisterOnly
      ? false
      : await this.cloud.remove({ apiKey, baseUrl: options.cloudUrl }, id);
    const engineDeregistered = await this.engine.deregister({ apiKey, baseUrl: options.engineUrl }, id);
    if (!cloudDeploymentDeleted && !engineDeregistered) throw workerNotFound(id);
    return { cloudDeploymentDeleted, engineDeregistered };
  }
}
