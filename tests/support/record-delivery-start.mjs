/**
 * Preloaded (NODE_OPTIONS=--import) into the CLI and every process it starts, by a test that asks
 * when each background delivery began: such a process appends its own start time
 * (`performance.timeOrigin`, ms since the epoch) to ARCADE_TEST_STARTS_FILE. Read by the process
 * itself as it starts, so a loaded test process that looks late does not move it, on any platform.
 */
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const { ARCADE_TEST_STARTS_FILE: file, ARCADE_TEST_STARTS_ARGUMENT: argument } = process.env;
if (file && argument && process.argv.includes(argument)) appendFileSync(file, `${performance.timeOrigin}\n`);
