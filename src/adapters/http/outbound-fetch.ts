import type { IncomingMessage } from 'node:http';
import { routeTo } from './proxy-route.js';
import { readAnswer } from './read-answer.js';

/** An OAuth answer is a few hundred bytes; past this it is not one, and is not read on. */
const MAX_ANSWER_BYTES = 256 * 1024;
const TIMEOUT_MS = 10_000;

/**
 * A `fetch` for the OAuth library (oauth4webapi's `customFetch`): one request over
 * `node:http`/`node:https` by the route the proxy variables give (Node's own `fetch` ignores
 * them), bounded in time and size, redirects never followed. Resolves to a standard `Response`.
 */
export async function outboundFetch(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal | null },
): Promise<Response> {
  const target = new URL(url);
  const route = await routeTo(target);
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const body =
    typeof options.body === 'string'
      ? options.body
      : options.body instanceof URLSearchParams
        ? options.body.toString()
        : undefined;
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), ...(options.signal ? [options.signal] : [])]);
    const req = request(target, {
      method: options.method ?? 'GET',
      headers,
      signal,
      ...(route.kind === 'proxy' ? { agent: route.agent } : {}),
    });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      readAnswer(res, MAX_ANSWER_BYTES).then((bytes) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        // A status Response refuses (1xx, or none) is not an answer this CLI can use.
        if (status < 200 || status > 599) return reject(new Error(`unexpected HTTP status ${status}`));
        const empty = status === 204 || status === 205 || status === 304;
        resolve(new Response(empty ? null : bytes, { status, headers: responseHeaders }));
      }, reject);
    });
    req.end(body);
  });
}
