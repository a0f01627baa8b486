// `npm run build`: bundles what ships and the stand-ins with esbuild, then writes the V8 code cache
// of each CLI bundle. Type checking is `npm run typecheck` (and part of `npm test`).
//
//   dist/arcade.cjs              the `arcade` executable: answers --version, else loads one of:
//   dist/cli.cjs (+ .map, .cache)      a command
//   dist/deliver.cjs (+ .map, .cache)  the detached background delivery
//   dist/vendor/<package>.cjs    the large packages, each loaded by either bundle on first use
//                                  (+ .cache for those the cache runs below loaded)
//   dist/stand-ins/*.js, dist/bench/*.js  the demo, the sink, the fake browser and the benchmark (ESM)
//
// Every file is replaced by a rename, never rewritten in place, so a CLI running while a build
// runs (npx builds the package it is asked to run) always reads a whole file.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const common = { bundle: true, platform: 'node', target: 'node20.20', logLevel: 'warning', legalComments: 'none', write: false };
// The PostHog project key the build's users send to: ARCADE_POSTHOG_KEY at build time, or none.
const buildKey = (process.env.ARCADE_POSTHOG_KEY ?? '').trim();
const cjs = {
  ...common,
  format: 'cjs',
  define: { ARCADE_VERSION: JSON.stringify(version), ARCADE_BUILD_POSTHOG_KEY: JSON.stringify(buildKey) },
};
// Source maps without the sources: stacks (ARCADE_DEBUG=1) name src/ files and lines.
const mapped = { sourcemap: true, sourcesContent: false };
// The large packages only some runs need stay out of the CLI bundles, each in a bundle of its own
// that is read and compiled only when first imported: got (an Arcade API call), posthog-node (a
// delivery), yaml (credentials outside the usual layout), oauth4webapi (login, a token refresh),
// proper-lockfile (a state file that must change). A command that needs none of them, `--help`
// first, reads a fraction of the code.
const VENDORED = ['got', 'posthog-node', 'yaml', 'oauth4webapi', 'proper-lockfile'];
// (`dynamic-import: false`: their `import()` becomes a `require`, which a bundle run by vm.Script can do.)
const vendored = {
  name: 'vendored',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${VENDORED.join('|')})$`) }, (args) => ({
      path: `./vendor/${args.path}.cjs`,
      external: true,
    }));
  },
};
const split = { plugins: [vendored], supported: { 'dynamic-import': false } };

// A throwaway directory for the code cache runs below: their state directory and their runner.
const stateDir = mkdtempSync(join(tmpdir(), 'arcade-build-'));
const cacheRunner = join(stateDir, 'code-cache-run.cjs');

const results = await Promise.all([
  build({ ...cjs, entryPoints: ['src/cli/launcher.ts'], outfile: 'dist/arcade.cjs' }),
  build({ ...cjs, ...mapped, ...split, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.cjs' }),
  build({ ...cjs, ...mapped, ...split, entryPoints: ['src/cli/deliver-main.ts'], outfile: 'dist/deliver.cjs' }),
  ...VENDORED.map((name) =>
    build({
      ...cjs,
      stdin: { contents: `export * from '${name}';`, resolveDir: process.cwd(), sourcefile: `${name}.js` },
      outfile: `dist/vendor/${name}.cjs`,
    }),
  ),
  // Build-time only, never shipped: runs a bundle through the launcher's loader and writes its caches.
  build({ ...common, format: 'cjs', entryPoints: ['src/cli/code-cache-run.ts'], outfile: cacheRunner }),
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
for (const file of results.flatMap((result) => result.outputFiles)) {
  const path = relative(process.cwd(), file.path);
  mkdirSync(dirname(path), { recursive: true });
  // The old bundle's code cache goes first. V8 checks a cache against its source's length only, so
  // beside a new bundle of the same length it would run the old code; without one, a run in the
  // moments before the cache runs below (or after one that failed) only compiles from source.
  rmSync(`${path}.cache`, { force: true, recursive: true });
  writeFileSync(`${path}.${process.pid}`, file.contents, { mode: path === 'dist/arcade.cjs' ? 0o755 : 0o644 });
  renameSync(`${path}.${process.pid}`, path);
}

// Each bundle's code cache (and that of each vendor bundle it loads), made by running it the way
// the launcher does, in a throwaway state directory, against one local stand-in that plays Arcade
// Cloud's key validation and a PostHog that acknowledges every batch: a command logged in for the
// first time, the delivery process (the principal lookup with got, the link, posthog-node), then
// the command in the steady state. While a command runs the delivery lock is shown held, so it
// starts no delivery process. A cache from another Node version is rejected by V8 and only costs
// the compile it saves.
const arcadeDir = join(stateDir, '.arcade');
mkdirSync(join(arcadeDir, 'usage-delivery.lock'), { recursive: true, mode: 0o700 });
writeFileSync(
  join(arcadeDir, 'credentials.yaml'),
  'cloud:\n  api:\n    key: arc_codecache0123456789abcdef\n  user:\n    email: build@example.com\n',
  { mode: 0o600 },
);
writeFileSync(join(arcadeDir, 'usage-notice.json'), '{"version":1}\n', { mode: 0o600 });
let batches = 0;
let lookups = 0;
const standIn = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const validate = request.url === '/api/v1/auth/validate';
    if (validate) lookups += 1;
    else batches += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(validate ? '{"data":{"principal_id":"usr_build"}}' : '{"status":1}');
  });
});
await new Promise((listening) => standIn.listen(0, '127.0.0.1', listening));
const standInUrl = `http://127.0.0.1:${standIn.address().port}`;
const { DO_NOT_TRACK: _, ARCADE_USAGE_DEBUG: __, ...inherited } = process.env;
const env = {
  ...inherited,
  ARCADE_WORK_DIR: stateDir,
  ARCADE_DEBUG: '',
  ARCADE_USAGE_TRACKING: '1',
  ARCADE_POSTHOG_HOST: standInUrl,
  // A key for the stand-in, whatever key (or none) the build itself carries.
  ARCADE_POSTHOG_KEY: 'phc_build_code_cache',
  ARCADE_CLOUD_URL: standInUrl,
  CI: '',
};
/** Runs one bundle under src/cli/code-cache-run.ts, asynchronously (the stand-in answers from this process). */
function cacheRun(bundle, ...args) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cacheRunner, bundle, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done() : fail(new Error(`The code cache run of ${bundle} failed (${code}):\n${stderr}`)),
    );
  });
}
const deliveryLock = join(arcadeDir, 'usage-delivery.lock');
try {
  // A command as a newly logged-in user's first is: its principal left to the delivery to look up.
  await cacheRun('dist/cli.cjs', 'usage', 'status');
  if (lookups !== 0)
    throw new Error(`The first code cache run of dist/cli.cjs made ${lookups} principal lookups: a command must make none.`);
  // The delivery: it looks the principal up (got), links, and sends (posthog-node).
  rmSync(deliveryLock, { recursive: true });
  await cacheRun('dist/deliver.cjs', '__deliver', arcadeDir);
  if (lookups !== 1 || batches === 0)
    throw new Error(`The code cache run of dist/deliver.cjs made ${lookups} lookups and ${batches} batches, not 1 and some.`);
  mkdirSync(deliveryLock, { mode: 0o700 });
  // Then the command twice more: once to remember the credentials' signature, then in the steady
  // state every later run is in (nothing looked up, nothing locked), whose cache is the one kept.
  await cacheRun('dist/cli.cjs', 'usage', 'status');
  await cacheRun('dist/cli.cjs', 'usage', 'status');
  if (lookups !== 1)
    throw new Error('A later code cache run of dist/cli.cjs looked the principal up: its cache would miss the steady state.');
} finally {
  standIn.close();
}
rmSync(stateDir, { recursive: true, force: true });
