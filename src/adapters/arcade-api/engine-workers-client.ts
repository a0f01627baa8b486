import type { ApiAccess, EngineWorkers } from '../../domain/ports/engine-workers.js';
import type { EngineWorker } from '../../domain/worker.js';
import { AppError, count, text, url, type ErrorText } from '../../domain/errors.js';
import { asRecord, callArcade, endpoint, expectShape, missingList, setting, type Endpoint } from './arcade-http.js';

const PAGE_SIZE = 100;
/** More than any account has; a list past this is a server that never stops. */
const MAX_ITEMS = 100_000;
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

  /**
   * Every item over all pages, asked for by offset; null when the first page is a 404. The pages
   * must add up: each at the offset asked for, one `total_count` for all (a whole number, when
   * there is one), items until it is reached, and at most MAX_ITEMS in all. A page that does not
   * advance, a total it never reaches, or a count that is not a number is a bad response, never a
   * list cut short or a loop.
   */
  private async allPages(access: ApiAccess, point: Endpoint): Promise<unknown[] | null> {
    const all: unknown[] = [];
    let total: number | undefined;
    for (;;) {
      const offset = all.length;
      const response = await callArcade(ENGINE, access, point, { offset: String(offset), limit: String(PAGE_SIZE) });
      if (!response.found) {
        if (offset === 0) return null;
        throw pagesDoNotAddUp(access, point, text`a page at offset ${count(offset)} is missing`);
      }
      const page = expectShape(ENGINE, access, point, asRecord(response.body));
      const items = expectShape(ENGINE, access, point, Array.isArray(page.items) ? (page.items as unknown[]) : undefined);
      if (page.offset !== undefined && page.offset !== offset)
        throw pagesDoNotAddUp(access, point, text`the page asked for at offset ${count(offset)} says it is at another`);
      const pageTotal = page.total_count;
      if (pageTotal !== undefined && !(Number.isSafeInteger(pageTotal) && (pageTotal as number) >= 0))
        throw pagesDoNotAddUp(access, point, text`its total_count is not a count`);
      if (total !== undefined && pageTotal !== total)
        throw pagesDoNotAddUp(access, point, text`its total_count changes between pages`);
      total = pageTotal as number | undefined;
      all.push(...items);
      if (all.length > MAX_ITEMS) throw pagesDoNotAddUp(access, point, text`it lists more than ${count(MAX_ITEMS)} items`);
      // Without a total, a page short of full is the last.
      if (total === undefined) {
        if (items.length < PAGE_SIZE) return all;
      } else if (all.length >= total) return all;
      else if (items.length === 0)
        throw pagesDoNotAddUp(access, point, text`it says ${count(total)} in all, but its pages end after ${count(all.length)}`);
    }
  }
}

function pagesDoNotAddUp(access: ApiAccess, point: Endpoint, why: ErrorText): AppError {
  return new AppError(
    'bad-response',
    text`${ENGINE} at ${url(access.target.url)} sent pages of ${point.named} that do not add up: ${why}. Check ${setting(access.target)}.`,
  );
}
