/**
 * How `dist/arcade.cjs` runs a bundle: as Node's loader would (Module.wrap), but compiled with the
 * V8 code cache the build left next to it (`<file>.cache`), and with the large packages it loads
 * from `./vendor/` on first use loaded the same way. The build's cache runs
 * (`src/cli/code-cache-run.ts`) load through this same function, so a cache always matches what
 * the launcher compiles.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What cli.cjs and deliver.cjs export. */
export interface Bundle {
  main(this: void, argv: string[], entryScript: string): Promise<void>;
}

type Wrapper = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/** Reads a code cache; none is fine (the file compiles from source). */
function readCodeCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    // No cache (never built, removed, unreadable, not a file) only costs the compile it would have saved.
    if (['ENOENT', 'EACCES', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/** The exports of each file loaded so far, so a vendor bundle two modules import runs once, as `require` would. */
const loaded = new Map<string, object>();

/**
 * Runs a CommonJS file of ours, compiled with its code cache; a cache V8 rejects (another Node
 * version, a corrupt file) only costs the compile it would have saved. Its `require` loads
 * `./vendor/*.cjs` the same way; anything else (Node's modules) goes to Node. `onCompiled` sees
 * each file's script (the build writes their caches from it).
 */
export function loadBundle(path: string, onCompiled?: (path: string, script: Script) => void): object {
  const done = loaded.get(path);
  if (done) return done;
  const script = new Script(Module.wrap(readFileSync(path, 'utf8')), {
    filename: path,
    cachedData: readCodeCache(`${path}.cache`),
  });
  onCompiled?.(path, script);
  const module = { exports: {} };
  const nodeRequire = createRequire(path);
  const require = Object.assign(
    (id: string): unknown => (id.startsWith('./vendor/') ? loadBundle(join(dirname(path), id), onCompiled) : nodeRequire(id)),
    nodeRequire,
  ) as NodeJS.Require;
  (script.runInThisContext() as Wrapper).call(module.exports, module.exports, require, module, path, dirname(path));
  loaded.set(path, module.exports);
  return module.exports;
}
