import { distinctInOrder, joinWorkers, type WorkerRow } from '../domain/worker.js';
import { CloudDeployments } from '../domain/ports/cloud-deployments.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { EngineWorkers, type ApiAccess } from '../domain/ports/engine-workers.js';
import { requireCredentials, type ApiOverrides } from './require-credentials.js';

/** `arcade worker list`: Engine workers joined with Cloud deployments by name, with their toolkits. */
export class ListWorkers {
  static readonly inject = [CredentialsStore, EngineWorkers, CloudDeployments] as const;

  constructor(
    private readonly credentials: CredentialsStore,
    private readonly engine: EngineWorkers,
    private readonly cloud: CloudDeployments,
  ) {}

  async execute(overrides: ApiOverrides = {}): Promise<WorkerRow[]> {
    const { apiKey } = await requireCredentials(this.credentials);
    const engine: ApiAccess = { apiKey, baseUrl: overrides.engineUrl };
    const [workers, deployments] = await Promise.all([
      this.engine.list(engine),
      this.cloud.list({ apiKey, baseUrl: overrides.cloudUrl }),
    ]);
    const toolkits = await Promise.all(
      workers.map(async (worker) => [worker.id, distinctInOrder(await this.engine.toolkitsOf(engine, worker.id))] as const),
    );
    return joinWorkers(workers, new Map(toolkits), deployments);
  }
}
