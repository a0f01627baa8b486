import type { CloudDeployments } from '../../domain/ports/cloud-deployments.js';
import type { ApiAccess } from '../../domain/ports/engine-workers.js';
import type { CloudDeployment } from '../../domain/worker.js';
import { asRecord, callArcade, expectShape } from './arcade-http.js';

const CLOUD = 'Arcade Cloud';

/** Arcade Cloud's `/api/v1/workers`: the deployments, and deleting one by name. */
export class CloudDeploymentsClient implements CloudDeployments {
  constructor(private readonly cloudUrl: string) {}

  async list(access: ApiAccess): Promise<CloudDeployment[]> {
    const response = await callArcade(CLOUD, 'GET', new URL('/api/v1/workers', access.baseUrl ?? this.cloudUrl), access.apiKey);
    if (!response.found) return [];
    const workers = asRecord(asRecord(response.body)?.data)?.workers;
    return expectShape(CLOUD, 'GET /api/v1/workers', Array.isArray(workers) ? workers : undefined).map((raw) => {
      const deployment = expectShape(CLOUD, 'GET /api/v1/workers', asRecord(raw));
      return {
        name: String(expectShape(CLOUD, 'GET /api/v1/workers', deployment.name)),
        endpoint: typeof deployment.endpoint === 'string' ? deployment.endpoint : null,
      };
    });
  }

  async remove(access: ApiAccess, name: string): Promise<boolean> {
    return (
      await callArcade(
        CLOUD,
        'DELETE',
        new URL(`/api/v1/workers/${encodeURIComponent(name)}`, access.baseUrl ?? this.cloudUrl),
        access.apiKey,
      )
    ).found;
  }
}
