#!/usr/bin/env node
/**
 * The `arcade` executable. `--version` answers before anything heavy loads; everything else goes
 * through the composition root, loaded on demand.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DELIVERY_ARGUMENT } from '../adapters/process/delivery-argument.js';

const argv = process.argv.slice(2);
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const entryScript = fileURLToPath(import.meta.url);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${version}\n`);
} else {
  const [{ readConfig }, root] = await Promise.all([import('./config.js'), import('./composition-root.js')]);
  const config = readConfig(process.env);
  if (argv[0] === DELIVERY_ARGUMENT && argv[1]) {
    // The state directory comes as an absolute path from the command that started this process,
    // never re-derived from a relative ARCADE_WORK_DIR in another working directory.
    const delivery = { ...config, stateDir: argv[1] };
    // The background delivery process has no terminal: whatever goes wrong, it ends quietly.
    process.on('uncaughtException', () => process.exit(1));
    process.on('unhandledRejection', () => process.exit(1));
    await root.runBackgroundDelivery(delivery, version, entryScript);
    process.exit(0);
  } else {
    process.exitCode = await root.runCli(argv, config, version, entryScript, process);
  }
}
