/**
 * Reading a file in `.arcade/` without trusting it: never through a symbolic link (O_NOFOLLOW),
 * never blocking on open (O_NONBLOCK: a FIFO does not hang the command), only a regular file, and
 * only up to a size cap, all checked on the open descriptor (no gap between check and read).
 *
 * The state files are a few hundred bytes on a local disk, so this folder's adapters use Node's
 * synchronous calls behind their asynchronous ports: each asynchronous call is a round trip through
 * libuv's thread pool, far slower than the call itself, and a tracked command makes about twenty
 * of them after its output (docs/performance.md). Nothing here can block for long: opens never wait (O_NONBLOCK) and sizes
 * are checked before reading.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

/** More than any file arcade writes (the largest, `usage-log.json`, stays under 1 MiB). */
export const STATE_FILE_MAX_BYTES = 4 * 1024 * 1024;

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** An error like Node's own (code, syscall, path), so callers tell it apart the same way. */
function fileError(code: string, path: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, open '${path}'`), { code, syscall: 'open', path });
}

export interface StateFileOptions {
  readonly maxBytes?: number;
  /** Read through a symbolic link (the caller learns it did, and must then change nothing there). */
  readonly followLink?: boolean;
}

export interface OpenedStateFile {
  /** The open descriptor, which the caller closes. */
  readonly fd: number;
  readonly stats: Stats;
  /** The path was a symbolic link that was followed. */
  readonly viaLink: boolean;
}

/**
 * Opens `path` for reading as described above; rejects with ENOENT when it is missing, ELOOP when
 * it is a symbolic link (unless `followLink`), EISDIR for a directory, EFTYPE for any other
 * non-regular file, EFBIG past `maxBytes`, and whatever else the open met (EACCES …). The caller
 * closes the handle.
 */
export function openStateFile(path: string, options: StateFileOptions = {}): OpenedStateFile {
  let fd: number;
  let viaLink = false;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    if (!options.followLink || (error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    viaLink = true;
    fd = openSync(path, READ_FLAGS & ~(constants.O_NOFOLLOW ?? 0));
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw fileError('EISDIR', path, 'a directory where a file belongs');
    if (!stats.isFile()) throw fileError('EFTYPE', path, 'not a regular file');
    const maxBytes = options.maxBytes ?? STATE_FILE_MAX_BYTES;
    if (stats.size > maxBytes) throw fileError('EFBIG', path, `larger than ${maxBytes} bytes`);
    return { fd, stats, viaLink };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** The whole text of a state file, checked as `openStateFile` checks it. */
export function readStateFile(path: string, maxBytes = STATE_FILE_MAX_BYTES): string {
  const { fd } = openStateFile(path, { maxBytes });
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
