import type { EngineWorker } from '../../domain/worker.js';
import type { ApiAccess, EngineWorkers } from '../../domain/ports/engine-workers.js';

export class MemoryEngineWorkers implements EngineWorkers {
  workers: EngineWorker[] = [];
  readonly toolkits = new Map<string, string[]>();
  /** Every call's access, to check the key and URL overrides were passed on. */
  readonly calls: ApiAccess[] = [];

  async list(access: ApiAccess): Promise<EngineWorker[]> {
    this.calls.push(access);
    return [...this.workers];
  }

  async toolkitsOf(access: ApiAccess, workerId: string): Promise<string[]> {
    this.calls.push(access);
    return this.toolkits.get(workerId) ?? [];
  }

  async setEnabled(access: ApiAccess, workerId: string, enabled: boolean): Promise<boolean> {
    this.calls.push(access);
    const found = this.workers.some((worker) => worker.id === workerId);
    this.workers = this.workers.map((worker) => (worker.id === workerId ? { ...worker, enabled } : worker));
    return found;
  }

  async deregister(access: ApiAccess, workerId: string): Promise<boolean> {
    this.calls.push(access);
    const before = this.workers.length;
    this.workers = this.workers.filter((worker) => worker.id !== workerId);
    return this.workers.length < before;
  }
}
