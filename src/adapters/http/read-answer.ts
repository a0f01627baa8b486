import type { IncomingMessage } from 'node:http';

/**
 * An answer's whole body, read into memory up to `maxBytes` (a body past that is not the answer
 * asked for, and is not read on); rejects when the connection drops before the end.
 */
export function readAnswer(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) res.destroy(new Error(`answer larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    // 'close' without 'end': the connection dropped mid-answer (or the request was aborted).
    res.on('close', () => {
      if (!res.complete) reject(new Error('connection closed before the whole answer arrived'));
    });
  });
}
