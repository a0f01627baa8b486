import { ContainerModule } from 'inversify';
import { Coordinator } from '../../domain/ports/coordinator.js';
import { BrowserLogin } from '../../domain/ports/browser-login.js';
import { CloudDeployments } from '../../domain/ports/cloud-deployments.js';
import { EngineWorkers } from '../../domain/ports/engine-workers.js';
import { WorkerLogStream } from '../../domain/ports/worker-logs.js';
import type { Environment } from '../../domain/tracking-decision.js';
import { CloudBrowserLogin } from './browser-login.js';
import { CloudDeploymentsClient } from './cloud-deployments-client.js';
import { CloudWorkerLogs } from './cloud-worker-logs.js';
import { CoordinatorClient } from './coordinator-client.js';
import { EngineWorkersClient } from './engine-workers-client.js';

/** Arcade Cloud (browser login, deployments, log streams, the Coordinator) and Arcade Engine (workers); server commands name their URLs per call. */
export function arcadeApiModule(cloudUrl: string, env: Environment): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(BrowserLogin).toConstantValue(new CloudBrowserLogin(cloudUrl, env));
    bind(EngineWorkers).toConstantValue(new EngineWorkersClient());
    bind(CloudDeployments).toConstantValue(new CloudDeploymentsClient());
    bind(WorkerLogStream).toConstantValue(new CloudWorkerLogs());
    bind(Coordinator).toConstantValue(new CoordinatorClient());
  });
}
