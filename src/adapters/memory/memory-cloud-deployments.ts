import type { CloudDeployment } from '../../domain/worker.js';
import type { CloudDeployments } from '../../domain/ports/cloud-deployments.js';
import type { ApiAccess } from '../../domain/ports/engine-workers.js';

export class MemoryCloudDeployments implements CloudDeployments {
  deployments: CloudDeployment[] = [];

  async list(): Promise<CloudDeployment[]> {
    return [...this.deployments];
  }

  async remove(_access: ApiAccess, name: string): Promise<boolean> {
    const before = this.deployments.length;
    this.deployments = this.deployments.filter((deployment) => deployment.name !== name);
    return this.deployments.length < before;
  }
}
