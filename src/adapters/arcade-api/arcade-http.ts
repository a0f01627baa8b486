import type { Method, RequestError, Response } from 'got';
import type { Agent } from 'node:http';
import { AppError, count, httpStatus, text, url as urlValue, type ErrorText, type ServiceName } from '../../domain/errors.js';
import type { ApiAccess, ApiTarget } from '../../domain/ports/engine-workers.js';
import { unreachable } from '../http/network-failure.js';
import { routeTo, type NetworkRoute } from '../http/proxy-route.js';

export type ArcadeService = ServiceName;

export type ArcadeResponse = { readonly found: true; readonly body: unknown } | { readonly found: false };

/** The Arcade API routes this CLI calls; `{id}` is a worker id or deployment name. */
export type Route =
  | '/api/v1/workers'
  | '/api/v1/workers/{id}'
  | '/api/v1/workers/logs/{id}'
  | '/v1/workers'
  | '/v1/workers/{id}'
  | '/v1/workers/{id}/tools'
  | '/api/v1/auth/whoami'
  | '/api/v1/orgs'
  | '/api/v1/orgs/{id}/projects';

/** One call's method and path: the path as requested, and as an event may name it (the id a placeholder). */
export interface Endpoint {
  readonly method: 'GET' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** `GET /v1/workers/<id>/tools`, for messages. */
  readonly named: ErrorText;
}

export function endpoint(method: Endpoint['method'], route: Route, id = ''): Endpoint {
  return {
    method,
    path: route.replace('{id}', encodeURIComponent(id)),
    named: { shown: `${method} ${route.replace('{id}', id)}`, sent: `${method} ${route.replace('{id}', '<id>')}` },
  };
}

/** How long one attempt may take. */
const TIMEOUT_MS = 10_000;
/** A read is tried once more after this pause when the first attempt failed in a way that may pass. */
const RETRY_DELAY_MS = 1000;
/**
 * Failures worth a second attempt at a read: the network's and the server's passing ones. Not a
 * timeout: that attempt already took the whole bound, and a second would double a silent
 * server's wait (21 s) with no word to the user.
 */
const PASSING_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN']);
const PASSING_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The endpoint's URL under `base` (a path in it is kept: `https://proxy/arcade` + `/v1/workers`),
 * with query parameters. The CLI checks every URL setting before a command runs; a base that is
 * still not a URL here is an AppError naming the setting, never a TypeError.
 */
export function endpointUrl(service: ArcadeService, target: ApiTarget, point: Endpoint, query: Record<string, string> = {}): URL {
  const base = target.url.replace(/\/+$/, '');
  if (!URL.canParse(`${base}${point.path}`))
    throw new AppError('invalid-url', text`The ${service} URL is not a URL: ${urlValue(target.url)} (check ${setting(target)}).`);
  const result = new URL(`${base}${point.path}`);
  for (const [name, value] of Object.entries(query)) result.searchParams.set(name, value);
  return result;
}

/**
 * The most an answer from Arcade may hold, in bytes as they arrive (arcade asks for them
 * uncompressed and never decompresses, so a gzip bomb is only its compressed size): a page of
 * 100 workers is tens of kilobytes.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** An answer cut off at MAX_ANSWER_BYTES. */
export const TOO_LARGE: unique symbol = Symbol('answer too large');

/**
 * One attempt at `url` through got (loaded on first use), by `route`: bounded in time and in size,
 * no retry of got's own, no redirect followed (Arcade's APIs do not redirect, so one comes from
 * something else in the way), the answer as text whatever its status. A failure to reach it
 * resolves to got's RequestError, for the caller to retry or report.
 */
export async function attempt(
  url: URL,
  route: NetworkRoute,
  request: {
    readonly method?: string;
    readonly headers: Record<string, string>;
    readonly json?: unknown;
    readonly timeoutMs?: number;
  },
): Promise<Response<string> | RequestError | typeof TOO_LARGE> {
  const { got, RequestError } = await import('got');
  const pending = got(url, {
    method: request.method as Method | undefined,
    headers: { ...request.headers, 'accept-encoding': 'identity' },
    json: request.json,
    timeout: { request: request.timeoutMs ?? TIMEOUT_MS },
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    decompress: false,
    responseType: 'text',
    ...gotAgent(route, url),
  });
  let tooLarge = false;
  const cutOff = (bytes: number) => {
    if (bytes <= MAX_ANSWER_BYTES || tooLarge) return;
    tooLarge = true;
    pending.cancel();
  };
  void pending.on('response', (response: { headers: Record<string, string | string[] | undefined> }) =>
    cutOff(Number(response.headers['content-length']) || 0),
  );
  void pending.on('downloadProgress', (progress: { transferred: number }) => cutOff(progress.transferred));
  try {
    const response = await pending;
    if (tooLarge) return TOO_LARGE;
    // Compressed although arcade asked for it as it is: got leaves the bytes, which read as text
    // are no JSON, and the caller says so.
    if (typeof response.body !== 'string') response.body = response.rawBody.toString('latin1');
    return response;
  } catch (error) {
    if (tooLarge) return TOO_LARGE;
    if (!(error instanceof RequestError)) throw error;
    return error;
  }
}

/** The error for an answer larger than any Arcade sends. */
export function tooLargeAnswer(service: ArcadeService, base: string, what: ErrorText, check: ErrorText): AppError {
  return new AppError(
    'bad-response',
    text`${service} at ${urlValue(base)} answered ${what} with more than ${count(MAX_ANSWER_BYTES / 1024 / 1024)} MB, which is not an answer of its API. Check ${check}.`,
  );
}

/** got's `agent` option for a route: the proxy's agent for the URL's protocol, or none (Node's own, direct). */
export function gotAgent(route: NetworkRoute, url: URL): { agent?: Record<string, Agent> } {
  return route.kind === 'proxy' ? { agent: { [url.protocol.slice(0, -1)]: route.agent } } : {};
}

/** The setting behind a target, for messages: `--engine-url`, `ARCADE_ENGINE_URL`. Our own vocabulary, sent as it is. */
export function setting(target: ApiTarget): ErrorText {
  return { shown: target.setting, sent: /^(--[a-z-]+|[A-Z_]+)$/.test(target.setting) ? target.setting : '<value>' };
}

/** A list endpoint that is not there (404): the URL setting is wrong, not the account empty. */
export function missingList(service: ArcadeService, target: ApiTarget, point: Endpoint): AppError {
  return new AppError(
    'http-4xx',
    text`${service} at ${urlValue(target.url)} has no ${point.named} (HTTP 404). Check ${setting(target)}.`,
  );
}

/**
 * One authenticated JSON call to Arcade through got (loaded on first use), by the route the proxy
 * variables give. 404 is an answer (`found: false`); every other failure becomes an AppError with
 * one line a user can act on. A read that fails in a way that may pass is tried once more; a write
 * never is. The retry is ours, not got's: on Node 24.20+ got's own retry of a refused connection
 * gives up at once with a bare ERR_SOCKET_CLOSED_BEFORE_CONNECTION (sindresorhus/got#2469).
 */
export async function callArcade(
  service: ArcadeService,
  access: ApiAccess,
  point: Endpoint,
  query: Record<string, string> = {},
  json?: unknown,
): Promise<ArcadeResponse> {
  const url = endpointUrl(service, access.target, point, query);
  const [{ RequestError }, route] = await Promise.all([import('got'), routeTo(url)]);
  const send = () =>
    attempt(url, route, {
      method: point.method,
      headers: { authorization: `Bearer ${access.bearer}`, accept: 'application/json' },
      json,
    });
  let response = await send();
  const passing =
    response instanceof RequestError
      ? PASSING_CODES.has(response.code)
      : response !== TOO_LARGE && PASSING_STATUSES.has(response.statusCode);
  if (point.method === 'GET' && passing) {
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    response = await send();
  }
  if (response === TOO_LARGE) throw tooLargeAnswer(service, access.target.url, point.named, setting(access.target));
  if (response instanceof RequestError)
    throw new AppError(
      response.code === 'ETIMEDOUT' ? 'timeout' : 'network',
      unreachable(service, url.origin, response, route, setting(access.target)),
    );
  if (response.statusCode === 404) return { found: false };
  if (response.statusCode >= 300 && response.statusCode < 400)
    throw new AppError(
      'bad-response',
      text`${service} at ${urlValue(access.target.url)} answered ${point.named} with a redirect (HTTP ${httpStatus(response.statusCode)}), which arcade does not follow. Check ${setting(access.target)}.`,
    );
  const refused = refusal(service, response.statusCode, point.named);
  if (refused) throw refused;
  if (response.body.trim() === '') return { found: true, body: null };
  try {
    return { found: true, body: JSON.parse(response.body) as unknown };
  } catch (error) {
    // Not JSON: the answer is not what the API promises, which is the user's error to see, not a bug.
    if (!(error instanceof SyntaxError)) throw error;
    throw new AppError(
      'bad-response',
      text`${service} at ${urlValue(access.target.url)} sent a response that is not JSON to ${point.named}. Check ${setting(access.target)}.`,
    );
  }
}

/**
 * What an answer's status says went wrong, or null for a 2xx: a refused API key (401/403), or the
 * status as an AppError of its class. A 404 means something different to each caller, so it is
 * theirs to read first.
 */
export function refusal(service: ArcadeService, status: number, what: ErrorText): AppError | null {
  if (status >= 200 && status < 300) return null;
  if (status === 401 || status === 403)
    return new AppError(
      'bad-credentials',
      text`${service} refused your login (HTTP ${httpStatus(status)}): the API key or token is not valid there. Run \`arcade login\` again.`,
    );
  return new AppError(
    status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : 'bad-response',
    text`${service} answered HTTP ${httpStatus(status)} to ${what}.`,
  );
}

/** A required field of a response, or an AppError saying the response was not what the API promises. */
export function expectShape<T>(service: ArcadeService, access: ApiAccess, point: Endpoint, value: T | undefined | null): T {
  if (value === undefined || value === null)
    throw new AppError(
      'bad-response',
      text`${service} at ${urlValue(access.target.url)} sent an unexpected response to ${point.named}. Check ${setting(access.target)}.`,
    );
  return value;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
