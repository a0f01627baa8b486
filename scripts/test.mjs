// `npm test` after the build: the type check, lint, format check and the Jest tests named on the
// command line (the unit and integration lanes), side by side (no shell), since the integration
// tests spend much of their time waiting. Exits non-zero when any fails. The type check and
// Prettier keep caches in node_modules/.cache, both exact (tsc's incremental build information,
// Prettier's per-file content hashes); ESLint keeps none, as its type-aware rules read across files.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import process from 'node:process';

const commands = [
  [
    'node',
    'node_modules/typescript/bin/tsc',
    '-p',
    'tsconfig.json',
    '--incremental',
    '--tsBuildInfoFile',
    'node_modules/.cache/arcade/tsc.tsbuildinfo',
  ],
  ['node', 'node_modules/eslint/bin/eslint.js', '.'],
  [
    'node',
    'node_modules/prettier/bin/prettier.cjs',
    '--check',
    '--cache',
    '--cache-location',
    'node_modules/.cache/arcade/prettier',
    '.',
  ],
  [
    'node',
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    'node_modules/jest/bin/jest.js',
    ...process.argv.slice(2),
  ],
];
const results = await Promise.all(
  commands.map(
    ([name, ...args]) =>
      new Promise((resolve) => {
        const label = `[${args.find((arg) => arg.startsWith('node_modules/'))?.split('/')[1] ?? name}]`;
        const child = spawn(name, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        // The static checks yield the CPU to Jest, whose integration tests run against real timers;
        // they fill the time those tests spend waiting instead.
        if (!args.includes('node_modules/jest/bin/jest.js') && child.pid !== undefined) setPriority(child.pid, 10);
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('error', (error) => resolve({ label, code: 1, output: `${output}${error.message}\n` }));
        child.on('close', (code) => resolve({ label, code, output }));
      }),
  ),
);
// Each command's output in one piece, so interleaved lines never confuse a reader (or CI's log).
for (const { label, code, output } of results) process.stdout.write(`${label} exit ${code}\n${output}\n`);
const failed = results.filter((result) => result.code !== 0);
if (failed.length > 0) {
  process.stderr.write(`Failed: ${failed.map((result) => result.label).join(', ')}\n`);
  process.exit(1);
}
