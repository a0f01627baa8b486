import { AppError } from '../../domain/errors.js';

export type ArcadeService = 'Arcade Engine' | 'Arcade Cloud';

export type ArcadeResponse = { readonly found: true; readonly body: unknown } | { readonly found: false };

/** How long one call may take; reads are retried once (writes never are). */
const TIMEOUT_MS = 10_000;

/**
 * One authenticated JSON call to Arcade through got (loaded on first use). 404 is an answer
 * (`found: false`); every other failure becomes an AppError with one line a user can act on.
 */
export async function callArcade(
  service: ArcadeService,
  method: 'GET' | 'PATCH' | 'DELETE',
  url: URL,
  apiKey: string,
  json?: unknown,
): Promise<ArcadeResponse> {
  const { got, RequestError } = await import('got');
  const what = `${method} ${url.pathname}`;
  let response;
  try {
    response = await got(url, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
      json,
      timeout: { request: TIMEOUT_MS },
      retry: { limit: method === 'GET' ? 1 : 0 },
      throwHttpErrors: false,
      responseType: 'text',
    });
  } catch (error) {
    const code = error instanceof RequestError ? error.code : 'error';
    throw new AppError('network', `Cannot reach ${service} at ${url.origin} (${code}).`);
  }
  const status = response.statusCode;
  if (status === 404) return { found: false };
  if (status === 401 || status === 403)
    throw new AppError(
      'unauthorized',
      `${service} refused the saved API key (HTTP ${status}). Run \`arcade logout\` and \`arcade login\` again.`,
    );
  if (status < 200 || status >= 300) throw new AppError('api-error', `${service} answered HTTP ${status} to ${what}.`);
  if (response.body.trim() === '') return { found: true, body: null };
  try {
    return { found: true, body: JSON.parse(response.body) as unknown };
  } catch {
    throw new AppError('bad-response', `${service} sent a response that is not JSON to ${what}.`);
  }
}

/** A required field of a response, or an AppError saying the response was not what the API promises. */
export function expectShape<T>(service: ArcadeService, what: string, value: T | undefined | null): T {
  if (value === undefined || value === null)
    throw new AppError('bad-response', `${service} sent an unexpected response to ${what}.`);
  return value;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
