import {
  AppError,
  httpStatus,
  systemWord,
  text,
  url as urlValue,
  type ErrorText,
  type ServiceName,
} from '../../domain/errors.js';

export type ArcadeService = ServiceName;

export type ArcadeResponse = { readonly found: true; readonly body: unknown } | { readonly found: false };

/** The Arcade API routes this CLI calls; `{id}` is a worker id or deployment name. */
export type Route = '/api/v1/workers' | '/api/v1/workers/{id}' | '/v1/workers' | '/v1/workers/{id}' | '/v1/workers/{id}/tools';

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

/** How long one call may take; reads are retried once (writes never are). */
const TIMEOUT_MS = 10_000;

/** The endpoint's URL on `base`, with query parameters; a base that is not a URL is an AppError. */
export function endpointUrl(service: ArcadeService, base: string, target: Endpoint, query: Record<string, string> = {}): URL {
  if (!URL.canParse(target.path, base))
    throw new AppError('invalid-url', text`The ${service} URL is not a URL: ${urlValue(base)}.`);
  const result = new URL(target.path, base);
  for (const [name, value] of Object.entries(query)) result.searchParams.set(name, value);
  return result;
}

/**
 * One authenticated JSON call to Arcade through got (loaded on first use). 404 is an answer
 * (`found: false`); every other failure becomes an AppError with one line a user can act on.
 */
export async function callArcade(
  service: ArcadeService,
  target: Endpoint,
  url: URL,
  apiKey: string,
  json?: unknown,
): Promise<ArcadeResponse> {
  const { got, RequestError } = await import('got');
  let response;
  try {
    response = await got(url, {
      method: target.method,
      headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
      json,
      timeout: { request: TIMEOUT_MS },
      retry: { limit: target.method === 'GET' ? 1 : 0 },
      throwHttpErrors: false,
      responseType: 'text',
    });
  } catch (error) {
    const code = error instanceof RequestError ? error.code : 'error';
    throw new AppError(
      code === 'ETIMEDOUT' ? 'timeout' : 'network',
      text`Cannot reach ${service} at ${urlValue(url.origin)} (${systemWord(code)}).`,
    );
  }
  const status = response.statusCode;
  if (status === 404) return { found: false };
  if (status === 401 || status === 403)
    throw new AppError(
      'bad-credentials',
      text`${service} refused the saved API key (HTTP ${httpStatus(status)}). Run \`arcade logout\` and \`arcade login\` again.`,
    );
  if (status < 200 || status >= 300)
    throw new AppError(
      status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : 'bad-response',
      text`${service} answered HTTP ${httpStatus(status)} to ${target.named}.`,
    );
  if (response.body.trim() === '') return { found: true, body: null };
  try {
    return { found: true, body: JSON.parse(response.body) as unknown };
  } catch (error) {
    // Not JSON: the answer is not what the API promises, which is the user's error to see, not a bug.
    if (!(error instanceof SyntaxError)) throw error;
    throw new AppError('bad-response', text`${service} sent a response that is not JSON to ${target.named}.`);
  }
}

/** A required field of a response, or an AppError saying the response was not what the API promises. */
export function expectShape<T>(service: ArcadeService, target: Endpoint, value: T | undefined | null): T {
  if (value === undefined || value === null)
    throw new AppError('bad-response', text`${service} sent an unexpected response to ${target.named}.`);
  return value;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
