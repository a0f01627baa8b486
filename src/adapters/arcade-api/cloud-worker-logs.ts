import { AppError, count, id, text } from '../../domain/errors.js';
import type { ApiAccess } from '../../domain/ports/engine-workers.js';
import type { LogConnectionEnd, LogEvent, WorkerLogStream } from '../../domain/ports/worker-logs.js';
import { routeTo } from '../http/proxy-route.js';
import { endpoint, endpointUrl, gotAgent, refusal } from './arcade-http.js';
import { EventTooLarge, MAX_EVENT_CHARS, ServerSentEventParser } from './server-sent-events.js';

const CLOUD = 'Arcade Cloud' as const;
/** The data line that ends a log stream. */
const DONE = '[DONE]';

/**
 * `GET {cloud}/api/v1/workers/logs/{id}` as server-sent events, through got's stream (loaded on
 * first use). Connecting is bounded (DNS, TCP, TLS, the first byte of the answer); an open stream
 * may stay quiet as long as the worker does.
 */
export class CloudWorkerLogs implements WorkerLogStream {
  async follow(
    access: ApiAccess,
    workerId: string,
    lastEventId: string | null,
    onEvent: (event: LogEvent) => void,
  ): Promise<LogConnectionEnd> {
    const url = endpointUrl(CLOUD, access.target, endpoint('GET', '/api/v1/workers/logs/{id}', workerId));
    const [{ got }, route] = await Promise.all([import('got'), routeTo(url)]);
    return new Promise((resolve, reject) => {
      let ended = false;
      const finish = (end: LogConnectionEnd | AppError) => {
        if (ended) return;
        ended = true;
        stream.destroy();
        if (end instanceof AppError) reject(end);
        else resolve(end);
      };
      const stream = got.stream(url, {
        headers: {
          authorization: `Bearer ${access.bearer}`,
          accept: 'text/event-stream',
          // Never decompressed: the line cap below then bounds what the stream costs in memory.
          'accept-encoding': 'identity',
          ...(lastEventId === null ? {} : { 'last-event-id': lastEventId }),
        },
        timeout: { lookup: 5000, connect: 10_000, secureConnect: 10_000, response: 30_000 },
        retry: { limit: 0 },
        followRedirect: false,
        decompress: false,
        throwHttpErrors: false,
        ...gotAgent(route, url),
      });
      const parser = new ServerSentEventParser((event) => {
        if (ended) return;
        if (event.type === 'error') finish({ kind: 'error', message: event.data });
        else if (event.data === DONE) finish({ kind: 'done' });
        else onEvent({ id: event.lastEventId, data: event.data });
      });
      let connected = false;
      stream.on('response', (response: { statusCode: number }) => {
        connected = true;
        if (response.statusCode === 404) return finish({ kind: 'not-found' });
        const refused = refusal(CLOUD, response.statusCode, text`the log stream`);
        if (refused) finish(refused);
      });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        try {
          parser.push(chunk);
        } catch (error) {
          if (!(error instanceof EventTooLarge)) throw error;
          finish(
            new AppError(
              'bad-response',
              text`The log stream of ${id(workerId)} sent a line longer than ${count(MAX_EVENT_CHARS / 1024 / 1024)} MB, which is not a log line. Check ARCADE_CLOUD_URL.`,
            ),
          );
        }
      });
      stream.on('end', () => finish({ kind: 'dropped', reason: 'the stream ended before [DONE]', connected }));
      stream.on('error', (error: Error & { code?: string }) =>
        finish({ kind: 'dropped', reason: error.code ?? error.message, connected }),
      );
    });
  }
}
