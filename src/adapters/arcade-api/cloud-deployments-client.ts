import type { CloudDeployments } from '../../domain/ports/cloud-deployments.js';
import type { ApiAccess } from '../../domain/ports/engine-workers.js';
import type { CloudDeployment } from '../../domain/worker.js';
import { asRecord, callArcade, endpoint, endpointUrl, expectShape } from './arcade-http.js';

const CLOUD = 'Arcade Cloud' as const;

/** Arcade Cloud's `/api/v1/workers`: the deployments, and deleting one by name. */
export class CloudDeploymentsClient implements CloudDeployments {
  constructor(private readonly cloudUrl: string) {}

  async list(access: ApiAccess): Promise<CloudDeployment[]> {
    const target = endpoint('GET', '/api/v1/workers');
    const response = await callArcade(CLOUD, target, endpointUrl(CLOUD, access.baseUrl ?? this.cloudUrl, target), access.apiKey);
    if (!response.found) return [];
    const workers = asRecord(asRecord(response.body)?.data)?.workers;
    return expectShape(CLOUD, target, Array.isArray(workers) ? workers : undefined).map((raw) => {
      const deployment = expectShape(CLOUD, target, asRecord(raw));
      return {
        name: String(expectShape(CLOUD, target, deployment.name)),
        endpoint: typeof deployment.endpoint === 'string' ? deployment.endpoint : null,
      };
    });
  }

  async remove(access: ApiAccess, name: string): Promise<boolean> {
    const target = endpoint('DELETE', '/api/v1/workers/{id}', name);
    return (await callArcade(CLOUD, target, endpointUrl(CLOUD, access.baseUrl ?? this.cloudUrl, target), access.apiKey)).found;
  }
}
