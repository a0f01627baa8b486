/**
 * The command bundle (`dist/cli.cjs`): one CLI invocation, loaded by the launcher for everything
 * but `--version` and the background delivery.
 */
import { runCli } from './run-cli.js';
import { readConfig } from './config.js';

export async function main(argv: string[], entryScript: string): Promise<void> {
  process.exitCode = await runCli(argv, readConfig(process.env), ARCADE_VERSION, entryScript, process);
}
