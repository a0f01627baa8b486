/** Deleting files and reporting their failures: only a file already gone is taken as success. */
import { unlinkSync } from 'node:fs';

/** Deletes a file; false when it was already gone. Any other failure (EACCES, EISDIR …) throws. */
export function removeFile(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The same error, naming the file it is about when Node did not (a read of a directory says only EISDIR). */
export function aboutFile(error: unknown, path: string): unknown {
  const candidate = error as NodeJS.ErrnoException;
  if (error instanceof Error && typeof candidate.code === 'string' && candidate.path === undefined) candidate.path = path;
  return error;
}
