/** Loaded with `node --import` by the benchmark: on exit, appends this process's peak RSS (KiB) to $BENCH_RSS_FILE. */
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
