import { Command, Option } from 'clipanion';
import { PYTHON_CLI_NOTE, pythonCliStillTracks } from '../../domain/tracking-decision.js';
import { TrackedCommand } from '../tracked-command.js';
import { jsonText } from '../terminal.js';

export class UsageEnableCommand extends TrackedCommand {
  static override paths = [['usage', 'enable']];
  static override usage = Command.Usage({
    description: 'Turn usage tracking on (saved in .arcade/usage-settings.json)',
    details: 'ARCADE_USAGE_TRACKING and DO_NOT_TRACK still win over this setting; `arcade usage status` says what is in force.',
    examples: [['Turn tracking back on', '$0 usage enable']],
  });

  json = Option.Boolean('--json', false, { description: 'Print `{saved, enabled, explanation}`' });

  protected async run(): Promise<number> {
    const { app, stdout } = this.context;
    await app.setTracking.execute('enabled');
    const decision = await app.decideTracking.execute();
    stdout.write(
      this.json
        ? `${jsonText({ saved: 'enabled', enabled: decision.enabled, explanation: decision.explanation }, 2)}\n`
        : decision.enabled
          ? 'Usage tracking is enabled.\n'
          : `Saved: enabled. But usage tracking is ${decision.explanation}.\n`,
    );
    return 0;
  }
}

export class UsageDisableCommand extends TrackedCommand {
  static override paths = [['usage', 'disable']];
  static override usage = Command.Usage({
    description: 'Turn usage tracking off, and delete what it kept',
    details:
      'Saves the choice in .arcade/usage-settings.json, deletes every pending event (none of them will be sent), forgets the anonymous id and the local log of delivered events.',
    examples: [['Turn tracking off for good', '$0 usage disable']],
  });

  json = Option.Boolean('--json', false, {
    description: 'Print `{saved, enabled, deletedEvents, forgotIdentity, pythonCliStillTracks}`',
  });

  protected async run(): Promise<number> {
    const { app, stdout } = this.context;
    const outcome = await app.setTracking.execute('disabled');
    if (outcome.kind !== 'disabled') return 0;
    const decision = await app.decideTracking.execute();
    const pythonTracks = pythonCliStillTracks(decision);
    if (this.json) {
      const { deletedEvents, forgotIdentity } = outcome;
      stdout.write(
        `${jsonText({ saved: 'disabled', enabled: decision.enabled, deletedEvents, forgotIdentity, pythonCliStillTracks: pythonTracks }, 2)}\n`,
      );
      return 0;
    }
    const deleted = `Deleted ${outcome.deletedEvents} pending event(s)${outcome.forgotIdentity ? ' and the anonymous id' : ''}.`;
    stdout.write(
      decision.enabled
        ? `Saved: disabled. ${deleted} But usage tracking is ${decision.explanation}.\n`
        : `Usage tracking is disabled. ${deleted}\n`,
    );
    if (pythonTracks) this.context.stderr.write(`${PYTHON_CLI_NOTE}\n`);
    return 0;
  }
}
