import { Command, Option } from 'clipanion';
import type { UsageStatusReport } from '../../application/usage-status.js';
import { PYTHON_CLI_NOTE, pythonCliStillTracks } from '../../domain/tracking-decision.js';
import { displayPath } from '../config.js';
import { jsonText, printable } from '../terminal.js';
import { TrackedCommand } from '../tracked-command.js';

export class UsageStatusCommand extends TrackedCommand {
  static override paths = [['usage', 'status']];
  static override usage = Command.Usage({
    description: 'Show whether usage tracking is on, why, and what is pending',
    details:
      'Shows whether tracking is enabled and which variable or setting decided it, the id events go out under, the state directory, pending and dropped events, and the last delivery.',
    examples: [
      ['See what is in force', '$0 usage status'],
      ['For a script', '$0 usage status --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print a JSON object' });

  protected async run(): Promise<number> {
    const report = await this.context.app.usageStatus.execute();
    this.context.stdout.write(this.json ? `${jsonText(toJson(report), 2)}\n` : this.text(report));
    return 0;
  }

  private text(report: UsageStatusReport): string {
    const { decision, delivery } = report;
    const identity =
      report.distinctId === null
        ? '(none yet: created by the first tracked command)'
        : `${report.distinctId} (${report.anonymous ? 'anonymous' : 'linked to your Arcade account'})`;
    const last = delivery.lastAttemptAt
      ? `${delivery.lastResult} at ${delivery.lastAttemptAt}${delivery.lastDetail ? ` (${delivery.lastDetail})` : ''}`
      : 'never';
    const lines = [
      `Usage tracking:  ${decision.explanation}`,
      `Distinct id:     ${identity}`,
      `State directory: ${displayPath(report.stateDir, this.context.homeDir)}`,
      `Pending events:  ${report.pendingEvents}`,
      `Dropped events:  ${report.droppedEvents}`,
      `Last delivery:   ${last}`,
    ];
    if (report.apiKeyFromEnvironment) lines.push('Logged in with:  the API key in ARCADE_API_KEY (over credentials.yaml)');
    if (report.route?.kind === 'proxy') lines.push(`Sent through:    the proxy ${report.route.origin} (${report.route.setting})`);
    if (report.route?.kind === 'invalid') lines.push(`Sent through:    nothing: ${report.route.reason}`);
    if (delivery.nextAttemptAt) lines.push(`Next attempt:    not before ${delivery.nextAttemptAt}`);
    if (report.keyRefused)
      lines.push('Not sending:     PostHog refused the project key; events are kept until ARCADE_POSTHOG_KEY changes');
    if (delivery.stuckEntries.length > 0)
      lines.push(
        `Not deletable:   ${delivery.stuckEntries.length} finished outbox file(s) (${delivery.stuckReason ?? 'unknown reason'}); never sent again, deleted once possible`,
      );
    if (decision.debug) lines.push('Debug mode:      on (ARCADE_USAGE_DEBUG): events are printed, not sent');
    if (report.stateProblem !== null)
      lines.push(
        `Problem:         ${report.stateProblem} arcade can record no event and save no login there: fix it, or set ARCADE_WORK_DIR to a directory it can write.`,
      );
    if (pythonCliStillTracks(decision)) lines.push('', PYTHON_CLI_NOTE);
    // The id, the state directory and the last delivery's detail come from files: no control character reaches the terminal.
    return `${lines.map(printable).join('\n')}\n`;
  }
}

function toJson(report: UsageStatusReport): Record<string, unknown> {
  const { decision, delivery } = report;
  return {
    enabled: decision.enabled,
    reason: decision.reason,
    explanation: decision.explanation,
    debug: decision.debug,
    pythonCliStillTracks: pythonCliStillTracks(decision),
    distinctId: report.distinctId,
    anonymous: report.anonymous,
    stateDir: report.stateDir,
    pendingEvents: report.pendingEvents,
    droppedEvents: report.droppedEvents,
    lastDelivery: delivery.lastAttemptAt
      ? { at: delivery.lastAttemptAt, result: delivery.lastResult, detail: delivery.lastDetail }
      : null,
    nextAttemptAt: delivery.nextAttemptAt,
    apiKeyFromEnvironment: report.apiKeyFromEnvironment,
    undeletableEntries: delivery.stuckEntries.length,
    undeletableReason: delivery.stuckReason,
    stateProblem: report.stateProblem,
    keyRefused: report.keyRefused,
    proxy:
      report.route?.kind === 'proxy'
        ? { origin: report.route.origin, setting: report.route.setting }
        : report.route?.kind === 'invalid'
          ? { invalid: report.route.reason }
          : null,
  };
}
