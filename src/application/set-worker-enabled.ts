import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { EngineWorkers } from '../domain/ports/engine-workers.js';
import { requireCredentials, workerNotFound, type ApiOverrides } from './require-credentials.js';

/** `arcade worker enable|disable ID`. */
export class SetWorkerEnabled {
  static readonly inject = [CredentialsStore, EngineWorkers] as const;

  constructor(
    private readonly credentials: CredentialsStore,
    private readonly engine: EngineWorkers,
  ) {}

  async execute(id: string, enabled: boolean, overrides: ApiOverrides = {}): Promise<void> {
    const { apiKey } = await requireCredentials(this.credentials);
    if (!(await this.engine.setEnabled({ apiKey, baseUrl: overrides.engineUrl }, id, enabled))) throw workerNotFound(id);
  }
}
