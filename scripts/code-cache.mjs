// Run by scripts/build.mjs, once per bundle: `node scripts/code-cache.mjs <bundle> <args...>` runs the
// bundle as dist/arcade.cjs does (Module.wrap, vm.Script, `./vendor/*.cjs` loaded the same way) for
// one harmless invocation, then writes the V8 code cache of everything that ran to `<file>.cache`,
// for the bundle and for each vendor bundle it loaded, so a real run compiles nothing that run needed.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { Script } from 'node:vm';

const [relativeBundle, ...argv] = process.argv.slice(2);
const scripts = new Map();

function load(path) {
  if (scripts.has(path)) return scripts.get(path).exports;
  const script = new Script(Module.wrap(readFileSync(path, 'utf8')), { filename: path });
  const module_ = { exports: {} };
  const nodeRequire = Module.createRequire(path);
  const require = Object.assign(
    (id) => (id.startsWith('./vendor/') ? load(join(dirname(path), id)) : nodeRequire(id)),
    nodeRequire,
  );
  script.runInThisContext().call(module_.exports, module_.exports, require, module_, path, dirname(path));
  scripts.set(path, { script, exports: module_.exports });
  return module_.exports;
}

const bundle = resolve(relativeBundle);
process.on('exit', () => {
  for (const [path, { script }] of scripts) {
    writeFileSync(`${path}.cache.${process.pid}`, script.createCachedData());
    renameSync(`${path}.cache.${process.pid}`, `${path}.cache`);
  }
});
void load(bundle).main(argv, join(dirname(bundle), 'arcade.cjs'));
