/** Workers as the Engine registers them and the Cloud deploys them, joined by name. */

export interface EngineWorker {
  readonly id: string;
  readonly enabled: boolean;
  /** The Engine's `http.uri`, when the worker is reached over HTTP. */
  readonly endpoint: string | null;
}

export interface CloudDeployment {
  readonly name: string;
  readonly endpoint: string | null;
}

/** One row of `arcade worker list`, in the SPEC's JSON shape. */
export interface WorkerRow {
  readonly id: string;
  readonly cloudDeployed: boolean;
  readonly engineRegistered: boolean;
  readonly enabled: boolean;
  readonly endpoint: string | null;
  readonly cloudEndpoint: string | null;
  readonly endpointMismatch: boolean;
  readonly toolkits: readonly string[];
}

function sameEndpoint(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/**
 * Each Engine worker with the Cloud deployment of the same name (never "the first deployment"),
 * then the Cloud-only deployments. Endpoints that differ only by a trailing slash match.
 */
export function joinWorkers(
  workers: readonly EngineWorker[],
  toolkitsByWorker: ReadonlyMap<string, readonly string[]>,
  deployments: readonly CloudDeployment[],
): WorkerRow[] {
  const byName = new Map(deployments.map((deployment) => [deployment.name, deployment]));
  const registered = workers.map((worker): WorkerRow => {
    const deployment = byName.get(worker.id);
    const cloudEndpoint = deployment?.endpoint ?? null;
    return {
      id: worker.id,
      cloudDeployed: deployment !== undefined,
      engineRegistered: true,
      enabled: worker.enabled,
      endpoint: worker.endpoint,
      cloudEndpoint,
      endpointMismatch: worker.endpoint !== null && cloudEndpoint !== null && !sameEndpoint(worker.endpoint, cloudEndpoint),
      toolkits: toolkitsByWorker.get(worker.id) ?? [],
    };
  });
  const engineIds = new Set(workers.map((worker) => worker.id));
  const cloudOnly = deployments
    .filter((deployment) => !engineIds.has(deployment.name))
    .map((deployment): WorkerRow => ({
      id: deployment.name,
      cloudDeployed: true,
      engineRegistered: false,
      enabled: false,
      endpoint: deployment.endpoint,
      cloudEndpoint: deployment.endpoint,
      endpointMismatch: false,
      toolkits: [],
    }));
  return [...registered, ...cloudOnly];
}

/** Distinct names in first-seen order. */
export function distinctInOrder(names: Iterable<string>): string[] {
  return [...new Set(names)];
}
