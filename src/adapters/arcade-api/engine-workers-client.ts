import type { ApiAccess, EngineWorkers } from '../../domain/ports/engine-workers.js';
import type { EngineWorker } from '../../domain/worker.js';
import { asRecord, callArcade, expectShape } from './arcade-http.js';

const PAGE_SIZE = 100;
const ENGINE = 'Arcade Engine';

/** Arcade Engine's `/v1/workers` API: paged lists followed to the end, PATCH to enable, DELETE to deregister. */
export class EngineWorkersClient implements EngineWorkers {
  constructor(private readonly engineUrl: string) {}

  async list(access: ApiAccess): Promise<EngineWorker[]> {
    const items = await this.allPages(access, '/v1/workers');
    return (items ?? []).map((item) => {
      const worker = expectShape(ENGINE, 'GET /v1/workers', asRecord(item));
      return {
        id: String(expectShape(ENGINE, 'GET /v1/workers', worker.id)),
        enabled: worker.enabled === true,
        endpoint: typeof asRecord(worker.http)?.uri === 'string' ? (asRecord(worker.http)!.uri as string) : null,
      };
    });
  }

  async toolkitsOf(access: ApiAccess, workerId: string): Promise<string[]> {
    const items = await this.allPages(access, `/v1/workers/${encodeURIComponent(workerId)}/tools`);
    return (items ?? []).flatMap((item) => {
      const toolkit = asRecord(item)?.toolkit;
      const name = typeof toolkit === 'string' ? toolkit : asRecord(toolkit)?.name;
      return typeof name === 'string' && name !== '' ? [name] : [];
    });
  }

  async setEnabled(access: ApiAccess, workerId: string, enabled: boolean): Promise<boolean> {
    return (
      await callArcade(ENGINE, 'PATCH', this.url(access, `/v1/workers/${encodeURIComponent(workerId)}`), access.apiKey, {
        enabled,
      })
    ).found;
  }

  async deregister(access: ApiAccess, workerId: string): Promise<boolean> {
    return (await callArcade(ENGINE, 'DELETE', this.url(access, `/v1/workers/${encodeURIComponent(workerId)}`), access.apiKey))
      .found;
  }

  /** Every item over all pages, until `offset + items.length >= total_count`; null when the first page is a 404. */
  private async allPages(access: ApiAccess, path: string): Promise<unknown[] | null> {
    const all: unknown[] = [];
    for (let offset = 0; ;) {
      const url = this.url(access, path);
      url.searchParams.set('offset', String(offset));
      url.searchParams.set('limit', String(PAGE_SIZE));
      const response = await callArcade(ENGINE, 'GET', url, access.apiKey);
      if (!response.found) return offset === 0 ? null : all;
      const page = expectShape(ENGINE, `GET ${path}`, asRecord(response.body));
      const items = expectShape(ENGINE, `GET ${path}`, Array.isArray(page.items) ? page.items : undefined);
      all.push(...(items as unknown[]));
      const pageOffset = typeof page.offset === 'number' ? page.offset : offset;
      const total = typeof page.total_count === 'number' ? page.total_count : all.length;
      // An empty page before the end would loop forever: stop with what we have.
      if (items.length === 0 || pageOffset + items.length >= total) return all;
      offset = pageOffset + items.length;
    }
  }

  private url(access: ApiAccess, path: string): URL {
    return new URL(path, access.baseUrl ?? this.engineUrl);
  }
}
