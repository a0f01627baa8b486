import type { ApiAccess, EngineWorkers } from '../../domain/ports/engine-workers.js';
import type { EngineWorker } from '../../domain/worker.js';
import { asRecord, callArcade, endpoint, expectShape, missingList, type Endpoint } from './arcade-http.js';

const PAGE_SIZE = 100;
const ENGINE = 'Arcade Engine' as const;

/** Arcade Engine's `/v1/workers` API: paged lists followed to the end, PATCH to enable, DELETE to deregister. */
export class EngineWorkersClient implements EngineWorkers {
  async list(access: ApiAccess): Promise<EngineWorker[]> {
    const point = endpoint('GET', '/v1/workers');
    const items = await this.allPages(access, point);
    if (items === null) throw missingList(ENGINE, access.target, point);
    return items.map((item) => {
      const worker = expectShape(ENGINE, access, point, asRecord(item));
      return {
        id: String(expectShape(ENGINE, access, point, worker.id)),
        enabled: worker.enabled === true,
        endpoint: typeof asRecord(worker.http)?.uri === 'string' ? (asRecord(worker.http)!.uri as string) : null,
      };
    });
  }

  async toolkitsOf(access: ApiAccess, workerId: string): Promise<string[]> {
    const items = await this.allPages(access, endpoint('GET', '/v1/workers/{id}/tools', workerId));
    return (items ?? []).flatMap((item) => {
      const toolkit = asRecord(item)?.toolkit;
      const name = typeof toolkit === 'string' ? toolkit : asRecord(toolkit)?.name;
      return typeof name === 'string' && name !== '' ? [name] : [];
    });
  }

  async setEnabled(access: ApiAccess, workerId: string, enabled: boolean): Promise<boolean> {
    return (await callArcade(ENGINE, access, endpoint('PATCH', '/v1/workers/{id}', workerId), {}, { enabled })).found;
  }

  async deregister(access: ApiAccess, workerId: string): Promise<boolean> {
    return (await callArcade(ENGINE, access, endpoint('DELETE', '/v1/workers/{id}', workerId))).found;
  }

  /** Every item over all pages, until `offset + items.length >= total_count`; null when the first page is a 404. */
  private async allPages(access: ApiAccess, point: Endpoint): Promise<unknown[] | null> {
    const all: unknown[] = [];
    for (let offset = 0; ;) {
      const response = await callArcade(ENGINE, access, point, { offset: String(offset), limit: String(PAGE_SIZE) });
      if (!response.found) return offset === 0 ? null : all;
      const page = expectShape(ENGINE, access, point, asRecord(response.body));
      const items = expectShape(ENGINE, access, point, Array.isArray(page.items) ? page.items : undefined);
      all.push(...(items as unknown[]));
      const pageOffset = typeof page.offset === 'number' ? page.offset : offset;
      const total = typeof page.total_count === 'number' ? page.total_count : all.length;
      // An empty page before the end would loop forever: stop with what we have.
      if (items.length === 0 || pageOffset + items.length >= total) return all;
      offset = pageOffset + items.length;
    }
  }
}
