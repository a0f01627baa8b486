import { constants } from 'node:fs';
import { lstat, mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, path, text, value } from '../../domain/errors.js';

/**
 * The `.arcade/` directory: created on first write, readable by its owner only, and used only
 * when it is the user's own (a directory another user owns, say root's after a `sudo arcade`, is
 * refused: files written there would be theirs to read or change).
 */
export class StateDir {
  private ready: Promise<void> | null = null;

  constructor(readonly path: string) {}

  file(name: string): string {
    return join(this.path, name);
  }

  /** Creates the directory with mode 0700 (tightening an existing one), once per process. */
  ensure(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.path, { recursive: true, mode: 0o700 });
      if (process.platform !== 'win32') await this.checkOwnDirectory();
    })().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  /**
   * Checks owner and mode on the opened directory itself (no window for a swap). A `.arcade` that
   * is a symbolic link is the user's own arrangement: it is followed for its owner, never chmodded.
   */
  private async checkOwnDirectory(): Promise<void> {
    let handle;
    try {
      handle = await open(this.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_DIRECTORY);
    } catch (error) {
      // ELOOP or ENOTDIR (as Linux says it with O_DIRECTORY): when the path is a link, its target's
      // owner still decides, and nothing is chmodded through it.
      if (
        !['ELOOP', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '') ||
        !(await lstat(this.path)).isSymbolicLink()
      )
        throw error;
      this.refuseForeign((await stat(this.path)).uid);
      return;
    }
    try {
      const stats = await handle.stat();
      this.refuseForeign(stats.uid);
      if ((stats.mode & 0o777) !== 0o700) await handle.chmod(0o700);
    } finally {
      await handle.close();
    }
  }

  private refuseForeign(owner: number): void {
    const me = process.getuid?.();
    if (me === undefined || owner === me) return;
    throw new AppError(
      'usage-state',
      text`${path(this.path)} belongs to another user (uid ${value(String(owner))}, you are ${value(String(me))}), so arcade will not write there. Give it back (chown) or set ARCADE_WORK_DIR.`,
    );
  }
}
