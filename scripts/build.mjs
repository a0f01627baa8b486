// `npm run build`: bundles what ships and the stand-ins with esbuild, then writes the V8 code cache
// of each CLI bundle. Type checking is `npm run typecheck` (and part of `npm test`).
//
//   dist/arcade.cjs              the `arcade` executable: answers --version, else loads one of:
//   dist/cli.cjs (+ .map, .cache)      a command
//   dist/deliver.cjs (+ .map, .cache)  the detached background delivery
//   dist/stand-ins/*.js, dist/bench/*.js  the demo, the sink, the fake browser and the benchmark (ESM)
import { build } from 'esbuild';
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const common = { bundle: true, platform: 'node', target: 'node20.20', logLevel: 'warning', legalComments: 'none' };
const cjs = { ...common, format: 'cjs', define: { ARCADE_VERSION: JSON.stringify(version) } };

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...cjs, entryPoints: ['src/cli/launcher.ts'], outfile: 'dist/arcade.cjs' }),
  // Source maps without the sources: stacks (ARCADE_DEBUG=1) name src/ files and lines.
  build({ ...cjs, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.cjs', sourcemap: true, sourcesContent: false }),
  build({
    ...cjs,
    entryPoints: ['src/cli/deliver-main.ts'],
    outfile: 'dist/deliver.cjs',
    sourcemap: true,
    sourcesContent: false,
  }),
  build({
    ...common,
    format: 'esm',
    entryPoints: [
      'src/stand-ins/demo.ts',
      'src/stand-ins/sink.ts',
      'src/stand-ins/fake-browser.ts',
      'src/bench/run-bench.ts',
      'src/bench/rss-probe.ts',
    ],
    outdir: 'dist',
    outbase: 'src',
  }),
]);
chmodSync('dist/arcade.cjs', 0o755);

// Each bundle's code cache, made by running it once the way the launcher does: `usage status` for
// a command, an empty delivery for the delivery process, with tracking off, in an empty state
// directory of their own. A cache from another Node version is rejected by V8 and only costs the
// compile it saves.
const stateDir = mkdtempSync(join(tmpdir(), 'arcade-build-'));
const env = { ...process.env, ARCADE_WORK_DIR: stateDir, ARCADE_USAGE_TRACKING: '0', ARCADE_DEBUG: '' };
for (const [bundle, ...args] of [
  ['dist/cli.cjs', 'usage', 'status'],
  ['dist/deliver.cjs', '__deliver', join(stateDir, '.arcade')],
]) {
  const run = spawnSync(process.execPath, ['scripts/code-cache.mjs', bundle, ...args], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`The code cache run of ${bundle} failed (${run.status}):\n${run.stderr}`);
}
rmSync(stateDir, { recursive: true, force: true });
