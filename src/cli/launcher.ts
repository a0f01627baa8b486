#!/usr/bin/env node
/**
 * The `arcade` executable (`dist/arcade.cjs`). `--version` answers from a constant the bundler
 * wrote in, loading nothing. Everything else runs one of two bundles beside this file:
 * `deliver.cjs` for the background delivery, `cli.cjs` for a command. A bundle, and each of the
 * large packages it loads from `vendor/` on first use, is compiled with the V8 code cache the build
 * left next to it (`<file>.cache`); a missing cache, or one V8 rejects (another Node version, a
 * corrupt file), only costs the compile it would have saved. With ARCADE_DEBUG=1 the bundle is
 * loaded by Node's own `require` instead, with source maps on, so stacks point at `src/`.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { DELIVERY_ARGUMENT } from '../adapters/process/delivery-argument.js';

interface Bundle {
  main(argv: string[], entryScript: string): Promise<void>;
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
 * Runs a CommonJS file of ours as Node's loader would, but compiled with its code cache. Its
 * `require` loads `./vendor/*.cjs` the same way; anything else (Node's modules) goes to Node.
 */
export function loadBundle(path: string): object {
  const done = loaded.get(path);
  if (done) return done;
  const script = new Script(Module.wrap(readFileSync(path, 'utf8')), {
    filename: path,
    cachedData: readCodeCache(`${path}.cache`),
  });
  const module = { exports: {} };
  const nodeRequire = createRequire(path);
  const require = Object.assign(
    (id: string): unknown => (id.startsWith('./vendor/') ? loadBundle(join(dirname(path), id)) : nodeRequire(id)),
    nodeRequire,
  ) as NodeJS.Require;
  (script.runInThisContext() as Wrapper).call(module.exports, module.exports, require, module, path, dirname(path));
  loaded.set(path, module.exports);
  return module.exports;
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${ARCADE_VERSION}\n`);
} else {
  const path = join(__dirname, argv[0] === DELIVERY_ARGUMENT ? 'deliver.cjs' : 'cli.cjs');
  let bundle: Bundle;
  if (/^(1|true)$/i.test(process.env.ARCADE_DEBUG?.trim() ?? '')) {
    process.setSourceMapsEnabled(true);
    bundle = createRequire(__filename)(path) as Bundle;
  } else {
    bundle = loadBundle(path) as Bundle;
  }
  void bundle.main(argv, __filename);
}
