/**
 * Finds the processes a test or benchmark started, by an environment variable they (and the
 * background deliveries they spawn) inherit. Linux only: it reads /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { DELIVERY_ARGUMENT } from '../adapters/process/delivery-argument.js';

export interface MarkedProcess {
  readonly pid: number;
  /** A background delivery, rather than a command. */
  readonly delivering: boolean;
  /** User plus system CPU time so far, in clock ticks (1/100 s). */
  readonly cpuTicks: number;
}

export const CLOCK_TICKS_PER_SECOND = 100;

/** Live processes whose environment holds `name=value`. */
export function markedProcesses(name: string, value: string): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`${name}=${value}`)) continue;
      const delivering = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').includes(DELIVERY_ARGUMENT);
      const fields = readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1].split(' ');
      found.push({ pid: Number(entry), delivering, cpuTicks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
