import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The `.arcade/` directory: created on first write, readable by its owner only. */
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
      if (process.platform !== 'win32') await chmod(this.path, 0o700);
    })().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }
}
