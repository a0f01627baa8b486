/**
 * The delivery bundle (`dist/deliver.cjs`): the detached background delivery, with no command
 * parser and nothing else a command needs.
 */
import { CONTINUES_BURST_ARGUMENT } from '../adapters/process/delivery-argument.js';
import { runBackgroundDelivery } from './background-delivery.js';
import { readConfig } from './config.js';

export async function main(argv: string[], entryScript: string): Promise<void> {
  // The background delivery process has no terminal: whatever goes wrong, it ends quietly.
  process.on('uncaughtException', () => process.exit(1));
  process.on('unhandledRejection', () => process.exit(1));
  // The state directory comes as an absolute path from the command that started this process,
  // never re-derived from a relative ARCADE_WORK_DIR in another working directory.
  const config = { ...readConfig(process.env), stateDir: argv[1] ?? '' };
  if (config.stateDir === '') process.exit(1);
  await runBackgroundDelivery(config, ARCADE_VERSION, entryScript, argv[2] === CONTINUES_BURST_ARGUMENT);
  process.exit(0);
}
