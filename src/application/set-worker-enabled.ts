import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { EngineWorkers, type ApiTarget } from '../domain/ports/engine-workers.js';
import { requireCredentials, workerNotFound } from './require-credentials.js';

/** `arcade server enable|disable ID`. */
export class SetWorkerEnabled {
  static readonly inject = [CredentialsStore, EngineWorkers] as const;

  constructor(
    private readonly credentials: CredentialsStore,
    private readonly engine: EngineWorkers,
  ) {}

  async execute(id: string, enabled: boolean, engine: ApiTarget): Promise<void> {
    const { apiKey } = await requireCredentials(this.credentials);
    if (!(await this.engine.setEnabled({ apiKey, target: engine }, id, enabled))) throw workerNotFound(id);
  }
}
