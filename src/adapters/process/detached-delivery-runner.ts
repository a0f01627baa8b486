import type { BackgroundRunner } from '../../domain/ports/background-runner.js';
import type { FsDeliveryStart } from '../fs/delivery-start.js';
import { CONTINUES_BURST_ARGUMENT, DELIVERY_ARGUMENT } from './delivery-argument.js';

/**
 * Starts `node <cli entry> __deliver <absolute state dir> [continues-burst]` detached from the
 * terminal, with no stdio, so the command exits at once and the delivery process outlives it
 * (bounded by its own hard limit). The reservation in `.arcade/` makes it one at a time.
 */
export class DetachedDeliveryRunner implements BackgroundRunner {
  constructor(
    private readonly entryScript: string,
    private readonly stateDir: string,
    private readonly reservation: FsDeliveryStart,
  ) {}

  async startDelivery(continuesBurst: boolean): Promise<boolean> {
    if (!(await this.reservation.reserve())) return false;
    const pid = this.spawn(continuesBurst);
    if (pid === null) await this.reservation.end();
    else await this.reservation.started(pid);
    return pid !== null;
  }

  endStart(): Promise<void> {
    return this.reservation.end();
  }

  /** Resolves to the new process's id; null when the system could not start it. */
  private spawn(continuesBurst: boolean): number | null {
    try {
      // Loaded when a delivery is started, not with every command: it brings net and dgram (docs/performance.md).
      const { spawn } = process.getBuiltinModule('node:child_process');
      const args = [this.entryScript, DELIVERY_ARGUMENT, this.stateDir, ...(continuesBurst ? [CONTINUES_BURST_ARGUMENT] : [])];
      const child = spawn(process.execPath, args, {
        cwd: this.stateDir,
        detached: true,
        stdio: 'ignore',
        windowsHide: true,
      });
      child.on('error', () => undefined); // events stay in the outbox; the next command tries again
      child.unref();
      // No pid: the process could not be started (the error event says why, and is ignored above).
      return child.pid ?? null;
    } catch (error) {
      // spawn can throw a system error synchronously (EAGAIN, EMFILE): the events wait in the outbox for the next command.
      // Anything else is a bug, for the tracking run to report (ARCADE_DEBUG=1).
      if (typeof (error as NodeJS.ErrnoException).errno === 'number') return null;
      throw error;
    }
  }
}
