import { accessSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StateProblem } from '../../domain/ports/identity-store.js';
import { AppError, fileErrorReason, path, text, value } from '../../domain/errors.js';

/**
 * The `.arcade/` directory: created on first write, readable by its owner only, and used only
 * when it is the user's own (a directory another user owns, say root's after a `sudo arcade`, is
 * refused: files written there would be theirs to read or change).
 */
export class StateDir {
  private ready = false;

  constructor(readonly path: string) {}

  file(name: string): string {
    return join(this.path, name);
  }

  /** Creates the directory with mode 0700 (tightening an existing one), once per process (synchronous I/O: see state-file.ts). */
  async ensure(): Promise<void> {
    if (this.ready) return;
    if (process.platform === 'win32') mkdirSync(this.path, { recursive: true, mode: 0o700 });
    // Checked first and made only when missing: a command in the usual case makes no mkdir call.
    else if (!this.checkOwnDirectory()) {
      mkdirSync(this.path, { recursive: true, mode: 0o700 });
      this.checkOwnDirectory();
    }
    this.ready = true;
  }

  /**
   * Checks owner and mode on the opened directory itself (no window for a swap); false when there
   * is no directory yet. A `.arcade` that is a symbolic link is the user's own arrangement: it is
   * followed for its owner, never chmodded.
   */
  private checkOwnDirectory(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_DIRECTORY);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOENT') return false; // not made yet
      // ELOOP or ENOTDIR (as Linux says it with O_DIRECTORY): when the path is a link, its target's
      // owner still decides, and nothing is chmodded through it.
      if (!['ELOOP', 'ENOTDIR'].includes(code) || !lstatSync(this.path).isSymbolicLink()) throw error;
      this.refuseForeign(statSync(this.path).uid);
      return true;
    }
    try {
      const stats = fstatSync(fd);
      this.refuseForeign(stats.uid);
      if ((stats.mode & 0o777) !== 0o700) fchmodSync(fd, 0o700);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  /**
   * Why arcade cannot keep its state here, or null: the directory cannot be made (its parent
   * cannot be written, a part of the path is a file) or written, or one of `files` is there but is
   * not a regular file. Checked with access(2), so a read-only file system says so.
   */
  problem(files: readonly string[]): StateProblem | null {
    const check = (target: string, mode: number): string | null => {
      try {
        accessSync(target, mode);
        return null;
      } catch (error) {
        return fileErrorReason((error as NodeJS.ErrnoException).code, 'write');
      }
    };
    let info;
    try {
      info = statSync(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') return { reason: `${this.path} cannot be used: ${fileErrorReason(code)}.`, readable: false };
      // Not made yet: it can be, when its nearest existing parent can be written.
      let parent = dirname(this.path);
      while (!existsQuietly(parent) && dirname(parent) !== parent) parent = dirname(parent);
      const cannot = check(parent, constants.W_OK | constants.X_OK);
      return cannot === null ? null : { reason: `${this.path} cannot be created in ${parent}: ${cannot}.`, readable: true };
    }
    if (!info.isDirectory()) return { reason: `${this.path} is not a directory.`, readable: false };
    const unreadable = check(this.path, constants.R_OK | constants.X_OK);
    if (unreadable !== null) return { reason: `${this.path} cannot be read: ${unreadable}.`, readable: false };
    const unwritable = check(this.path, constants.W_OK);
    if (unwritable !== null) return { reason: `${this.path} cannot be written: ${unwritable}.`, readable: true };
    for (const name of files) {
      let file;
      try {
        file = lstatSync(this.file(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // not written yet: nothing in the way
        throw error;
      }
      if (!file.isFile())
        return {
          reason: `${this.file(name)} is ${file.isDirectory() ? 'a directory' : 'not a regular file'}, not arcade's file; move it away.`,
          readable: true,
        };
    }
    return null;
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

/** Whether anything is at `path` (a dangling link counts as nothing). */
function existsQuietly(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    // Nothing there, or a part of the path is a file: either way the walk goes on up.
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
}
