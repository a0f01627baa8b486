// Run by scripts/build.mjs, once per bundle: `node scripts/code-cache.mjs <bundle> <args...>` runs the
// bundle exactly as dist/arcade.cjs does (Module.wrap, vm.Script) for one harmless invocation, then
// writes the V8 code cache of everything that ran to `<bundle>.cache`, so a real run compiles nothing
// that run needed.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { Script } from 'node:vm';

const [relativeBundle, ...argv] = process.argv.slice(2);
const bundle = resolve(relativeBundle);
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle });
const module_ = { exports: {} };
script.runInThisContext().call(module_.exports, module_.exports, Module.createRequire(bundle), module_, bundle, dirname(bundle));
process.on('exit', () => {
  writeFileSync(`${bundle}.cache.${process.pid}`, script.createCachedData());
  renameSync(`${bundle}.cache.${process.pid}`, `${bundle}.cache`);
});
void module_.exports.main(argv, join(dirname(bundle), 'arcade.cjs'));
