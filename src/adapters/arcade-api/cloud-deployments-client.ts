import type { CloudDeployments } from '../../domain/ports/cloud-deployments.js';
import type { ApiAccess } from '../../domain/ports/engine-workers.js';
import type { CloudDeployment } from '../../domain/worker.js';
import { asRecord, callArcade, endpoint, expectShape, missingList } from './arcade-http.js';

const CLOUD = 'Arcade Cloud' as const;

/** Arcade Cloud's `/api/v1/workers`: the deployments, and deleting one by name. */
export class CloudDeploymentsClient implements CloudDeployments {
  async list(access: ApiAccess): Promise<CloudDeployment[]> {
    const point = endpoint('GET', '/api/v1/workers');
    const response = await callArcade(CLOUD, access, point);
    if (!response.found) throw missingList(CLOUD, access.target, point);
    const workers = asRecord(asRecord(response.body)?.data)?.workers;
    return expectShape(CLOUD, access, point, Array.isArray(workers) ? workers : undefined).map((raw) => {
      const deployment = expectShape(CLOUD, access, point, asRecord(raw));
      return {
        name: String(expectShape(CLOUD, access, point, deployment.name)),
        endpoint: typeof deployment.endpoint === 'string' ? deployment.endpoint : null,
      };
    });
  }

  async remove(access: ApiAccess, name: string): Promise<boolean> {
    return (await callArcade(CLOUD, access, endpoint('DELETE', '/api/v1/workers/{id}', name))).found;
  }
}
