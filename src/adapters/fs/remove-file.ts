import { unlink } from 'node:fs/promises';

/** Deletes a file; resolves to false when it was already gone. Any other failure (EACCES, EISDIR …) rejects. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
