import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PostHogOptions } from 'posthog-node';
import { readAnswer } from '../http/read-answer.js';
import { routeTo } from '../http/proxy-route.js';

/** The `fetch` posthog-node accepts, typed from its own options. */
export type FetchLike = NonNullable<PostHogOptions['fetch']>;
type PostHogFetchOptions = Parameters<FetchLike>[1];
type PostHogFetchResponse = Awaited<ReturnType<FetchLike>>;

/** PostHog answers a capture with a few bytes; a body past this is not its acknowledgement and is not read on. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The `fetch` posthog-node is given: one request over `node:http`/`node:https`, its whole answer
 * read into memory before it resolves. Node's global `fetch` (undici) would cost the delivery
 * process more CPU and memory to load and compile than everything else it does
 * (docs/performance.md). Redirects are not followed (PostHog's capture API does not redirect; a
 * 3xx is a failure to reach it). The signal aborts the request, the answer's body included. A
 * proxy the environment names carries it (proxy-route.ts).
 */
export async function nodeHttpFetch(url: string, options: PostHogFetchOptions): Promise<PostHogFetchResponse> {
  const route = await routeTo(new URL(url));
  return new Promise((resolve, reject) => {
    const signal = options.signal;
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    let body: Buffer | undefined;
    if (typeof options.body === 'string') body = Buffer.from(options.body);
    else if (options.body instanceof Uint8Array)
      body = Buffer.from(options.body.buffer, options.body.byteOffset, options.body.byteLength);
    else if (options.body !== undefined) {
      reject(new TypeError('request body must be a string or bytes'));
      return;
    }
    const send = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = body === undefined ? options.headers : { ...options.headers, 'content-length': String(body.length) };
    const req = send(url, { method: options.method, headers, ...(route.kind === 'proxy' ? { agent: route.agent } : {}) });
    const onAbort = () => req.destroy(abortReason(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    req.on('error', (error) => {
      settle();
      reject(error);
    });
    req.on('response', (res) => {
      readAnswer(res, MAX_ANSWER_BYTES).then(
        (bytes) => {
          settle();
          resolve(answer(res, bytes.toString('utf8')));
        },
        (error: unknown) => {
          settle();
          req.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    req.end(body);
  });
}

function answer(res: IncomingMessage, text: string): PostHogFetchResponse {
  return {
    status: res.statusCode ?? 0,
    headers: {
      get: (name: string) => {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: () => Promise.resolve(text),
    json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
    body: null,
  };
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('request aborted');
}
