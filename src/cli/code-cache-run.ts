/**
 * Build-time only (scripts/build.mjs bundles it outside dist/ and runs it once per bundle):
 * `node code-cache-run.cjs <bundle> <args...>` runs the bundle through the launcher's own loader for
 * one harmless invocation, then writes the V8 code cache of everything that ran to `<file>.cache`,
 * for the bundle and for each vendor bundle it loaded, so a real run compiles nothing that run needed.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Script } from 'node:vm';
import { loadBundle, type Bundle } from './bundle-loader.js';

const [relativeBundle, ...argv] = process.argv.slice(2);
const bundle = resolve(relativeBundle ?? '');
const scripts = new Map<string, Script>();
process.on('exit', () => {
  for (const [path, script] of scripts) {
    writeFileSync(`${path}.cache.${process.pid}`, script.createCachedData());
    renameSync(`${path}.cache.${process.pid}`, `${path}.cache`);
  }
});
const { main } = loadBundle(bundle, (path, script) => scripts.set(path, script)) as Bundle;
void main(argv, join(dirname(bundle), 'arcade.cjs'));
