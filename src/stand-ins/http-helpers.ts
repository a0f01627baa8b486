import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** Starts an HTTP server on 127.0.0.1 (port 0: any free one) and resolves to its base URL. */
export async function listenOnLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port = 0,
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The request body, un-gzipped when the client compressed it (posthog-node does by default). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const gzipped =
    req.headers['content-encoding'] === 'gzip' ||
    new URL(req.url ?? '/', 'http://x').searchParams.get('compression') === 'gzip-js';
  return (gzipped ? gunzipSync(raw) : raw).toString('utf8');
}

/** The API key of a `Authorization: Bearer KEY` request, or ''. */
export function bearerKey(req: IncomingMessage): string {
  return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
}

/** Never answers: holds the request until the client gives up or the server closes (closeServer ends every connection). */
export async function neverAnswer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  await new Promise<void>((resolve) => req.socket.once('close', resolve));
  res.destroy();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Polls `check` until it returns a value other than undefined, or rejects after `timeoutMs`. */
export async function pollUntil<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  /** Named in the timeout's error; a function is asked at that moment, so it can say what was seen by then. */
  what: string | (() => string),
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
