/** Loaded with `node --import` by the benchmark: on exit, appends this process's peak RSS (KiB) and CPU time (ms) to $BENCH_RSS_FILE. */
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    appendFileSync(file, `${maxRSS} ${((userCPUTime + systemCPUTime) / 1000).toFixed(1)}\n`);
  });
