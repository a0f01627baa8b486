// The Node release lines arcade is tested and benchmarked on besides the one running this script,
// fetched from the npm registry (the `node-<platform>-<arch>` packages carry Node's own binaries)
// into a cache that outlives a clone, so CI fetches each once per machine.
//
//   node scripts/node-lines.mjs install 24 26     fetch what is missing; print each binary's path
//   node scripts/node-lines.mjs run SCRIPT [ARGS]  run SCRIPT with this Node, then with each line
//                                                  already in the cache (none fetched); fails when any run fails
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import process from 'node:process';

const xdg = process.env.XDG_CACHE_HOME;
const CACHE = join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'arcade-dev', 'node-lines');
const PACKAGE = `node-${process.platform}-${process.arch}`;

function binaryOf(major) {
  return join(CACHE, major, 'node_modules', PACKAGE, 'bin', 'node');
}

function install(major) {
  if (!/^\d+$/.test(major)) throw new Error(`not a Node major version: ${major}`);
  const binary = binaryOf(major);
  if (existsSync(binary)) return binary;
  mkdirSync(join(CACHE, major), { recursive: true });
  const npm = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', join(CACHE, major), `${PACKAGE}@${major}`],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (npm.status !== 0 || !existsSync(binary)) throw new Error(`npm could not install ${PACKAGE}@${major}`);
  return binary;
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'install') {
  for (const major of rest) process.stdout.write(`${install(major)}\n`);
} else if (mode === 'run') {
  const cached = existsSync(CACHE) ? readdirSync(CACHE).filter((major) => existsSync(binaryOf(major))) : [];
  const nodes = [process.execPath, ...cached.sort((a, b) => a - b).map(binaryOf)];
  let failed = 0;
  for (const node of nodes) {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    process.stdout.write(`\n=== Node ${version} (${node}) ===\n`);
    failed += spawnSync(node, rest, { stdio: 'inherit' }).status === 0 ? 0 : 1;
  }
  if (cached.length === 0)
    process.stdout.write('\n(Only this Node: `node scripts/node-lines.mjs install 24 26` adds the other lines.)\n');
  process.exit(failed === 0 ? 0 : 1);
} else {
  process.stderr.write('usage: node scripts/node-lines.mjs install MAJOR... | run SCRIPT [ARGS...]\n');
  process.exit(2);
}
