import { Command, Option } from 'clipanion';
import { FOREGROUND_FLUSH_LIMIT_MS } from '../../domain/delivery-policy.js';
import { AppError, count, text, value } from '../../domain/errors.js';
import { jsonText, withSpinner } from '../terminal.js';
import { TrackedCommand } from '../tracked-command.js';

export class UsageFlushCommand extends TrackedCommand {
  static override paths = [['usage', 'flush']];
  static override usage = Command.Usage({
    description: 'Deliver pending usage events now, in the foreground',
    details: `Sends what is waiting in the outbox (waiting for a background delivery to finish first), within ${FOREGROUND_FLUSH_LIMIT_MS / 1000} s, and reports how many were sent, kept and dropped. Exit 1 when some could not be sent.`,
    examples: [
      ['Send what is pending', '$0 usage flush'],
      ['For a script', '$0 usage flush --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print `{sent, kept, dropped, sending}`' });

  protected async run(): Promise<number> {
    const { app, stdout } = this.context;
    const outcome = await withSpinner(this.context.stderr, this.context.env, 'Delivering pending events', () =>
      app.flushEvents.execute(),
    );
    if (outcome.kind === 'busy')
      throw new AppError('busy', text`Another arcade process is delivering events; try again in a few seconds.`);
    const { report } = outcome;
    const summary = text`Sent ${count(report.sent)}, kept ${count(report.kept)}, dropped ${count(report.dropped)} event(s).`;
    // `sending`: whether this run could send at all (tracking on, not in debug mode).
    const sending = outcome.kind === 'delivered' || outcome.kind === 'incomplete';
    if (this.json) stdout.write(`${jsonText({ sent: report.sent, kept: report.kept, dropped: report.dropped, sending }, 2)}\n`);
    if (outcome.kind === 'incomplete')
      throw new AppError(
        'delivery-incomplete',
        text`${summary} Last delivery: ${value(report.lastResult ?? 'none')}${report.lastDetail ? text` (${value(report.lastDetail)})` : text``}.`,
      );
    if (this.json) return 0;
    if (outcome.kind === 'debug') stdout.write(`Debug mode (ARCADE_USAGE_DEBUG): nothing was sent. ${summary.shown}\n`);
    else if (outcome.kind === 'tracking-off')
      stdout.write(`Usage tracking is ${outcome.explanation}: nothing was sent. ${summary.shown}\n`);
    else stdout.write(`${summary.shown}\n`);
    return 0;
  }
}
