import { distinctInOrder, joinWorkers, type WorkerRow } from '../domain/worker.js';
import { CloudDeployments } from '../domain/ports/cloud-deployments.js';
import { AuthorizeArcade } from './authorize-arcade.js';
import { EngineWorkers, type ApiAccess } from '../domain/ports/engine-workers.js';
import type { ApiTargets } from './require-credentials.js';

/** How many workers' toolkits are fetched at once (each worker's pages stay in order). */
export const TOOLKIT_FETCHES_AT_ONCE = 8;

/** `arcade server list`: Engine workers joined with Cloud deployments by name, with their toolkits. */
export class ListWorkers {
  static readonly inject = [AuthorizeArcade, EngineWorkers, CloudDeployments] as const;

  constructor(
    private readonly authorize: AuthorizeArcade,
    private readonly engine: EngineWorkers,
    private readonly cloud: CloudDeployments,
  ) {}

  async execute(targets: ApiTargets): Promise<WorkerRow[]> {
    const { bearer } = await this.authorize.execute();
    const engine: ApiAccess = { bearer, target: targets.engine };
    const [workers, deployments] = await Promise.all([
      this.engine.list(engine),
      this.cloud.list({ bearer, target: targets.cloud }),
    ]);
    const toolkits = await mapBounded(workers, TOOLKIT_FETCHES_AT_ONCE, async (worker) => {
      return [worker.id, distinctInOrder(await this.engine.toolkitsOf(engine, worker.id))] as const;
    });
    return joinWorkers(workers, new Map(toolkits), deployments);
  }
}

/** `items.map(work)` with at most `limit` pieces of work under way at once; results in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
