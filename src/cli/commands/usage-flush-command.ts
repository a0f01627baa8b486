import { Command } from 'clipanion';
import { FOREGROUND_FLUSH_LIMIT_MS } from '../../domain/delivery-policy.js';
import { AppError } from '../../domain/errors.js';
import { TrackedCommand } from '../tracked-command.js';

export class UsageFlushCommand extends TrackedCommand {
  static override paths = [['usage', 'flush']];
  static override usage = Command.Usage({
    description: 'Deliver pending usage events now, in the foreground',
    details: `Sends what is waiting in the outbox (waiting for a background delivery to finish first), within ${FOREGROUND_FLUSH_LIMIT_MS / 1000} s, and reports how many were sent, kept and dropped. Exit 1 when some could not be sent.`,
  });

  protected async run(): Promise<number> {
    const { app, stdout } = this.context;
    const decision = await app.decideTracking.execute();
    const report = await app.deliverEvents.execute({
      budgetMs: FOREGROUND_FLUSH_LIMIT_MS,
      lingerMs: 0,
      handOver: false,
      waitForClaim: true,
    });
    if (report.busy)
      throw new AppError('delivery-busy', 'Another arcade process is delivering events; try again in a few seconds.');
    const summary = `Sent ${report.sent}, kept ${report.kept}, dropped ${report.dropped} event(s).`;
    if (report.debug) {
      stdout.write(`Debug mode (ARCADE_USAGE_DEBUG): nothing was sent. ${summary}\n`);
      return 0;
    }
    if (!decision.enabled) {
      stdout.write(`Usage tracking is ${decision.explanation}: nothing was sent. ${summary}\n`);
      return 0;
    }
    if (report.kept > 0)
      throw new AppError(
        'delivery-incomplete',
        `${summary} Last delivery: ${report.lastResult ?? 'none'}${report.lastDetail ? ` (${report.lastDetail})` : ''}.`,
      );
    stdout.write(`${summary}\n`);
    return 0;
  }
}
