import { AuthorizeArcade } from './authorize-arcade.js';
import { EngineWorkers, type ApiTarget } from '../domain/ports/engine-workers.js';
import { workerNotFound } from './require-credentials.js';

/** `arcade server enable|disable ID`. */
export class SetWorkerEnabled {
  static readonly inject = [AuthorizeArcade, EngineWorkers] as const;

  constructor(
    private readonly authorize: AuthorizeArcade,
    private readonly engine: EngineWorkers,
  ) {}

  async execute(id: string, enabled: boolean, engine: ApiTarget): Promise<void> {
    const { bearer } = await this.authorize.execute();
    if (!(await this.engine.setEnabled({ bearer, target: engine }, id, enabled))) throw workerNotFound(id);
  }
}
