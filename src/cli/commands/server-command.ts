import { Command, Option } from 'clipanion';
import type { ApiTarget } from '../../domain/ports/engine-workers.js';
import { checkedUrl } from '../config.js';
import { jsonText, printable, withSpinner } from '../terminal.js';
import { TrackedCommand } from '../tracked-command.js';

/**
 * `arcade server ...`, the Python Arcade CLI's `worker.py` commands. Each is also reachable as
 * `arcade worker ...` (the group's name before it was renamed), with identical behaviour; events
 * always name the canonical `server.*` path (TrackedCommand reports a command's first path).
 */
export abstract class ServerCommand extends TrackedCommand {
  cloudUrl = Option.String('--cloud-url', { description: 'Arcade Cloud base URL (default: ARCADE_CLOUD_URL)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  /** The Cloud to call, checked: a malformed URL is a usage error naming the flag or variable. */
  protected cloud(): ApiTarget {
    return this.cloudUrl === undefined
      ? { url: checkedUrl(this.context.cloudUrl, 'ARCADE_CLOUD_URL'), setting: 'ARCADE_CLOUD_URL' }
      : { url: checkedUrl(this.cloudUrl, '--cloud-url'), setting: '--cloud-url' };
  }

  /** An Arcade API call, with a spinner naming the hosts it waits for once it has taken 300 ms (in a terminal). */
  protected calling<T>(targets: readonly ApiTarget[], work: () => Promise<T>): Promise<T> {
    return withSpinner(this.context.stderr, this.context.env, waitingFor(targets), work, 300);
  }

  protected print(json: unknown, text: string): void {
    this.context.stdout.write(this.json ? `${jsonText(json, 2)}\n` : text);
  }
}

/** A server command that calls the Engine too. */
export abstract class EngineServerCommand extends ServerCommand {
  engineUrl = Option.String('--engine-url', { description: 'Arcade Engine base URL (default: ARCADE_ENGINE_URL)' });

  protected engine(): ApiTarget {
    return this.engineUrl === undefined
      ? { url: checkedUrl(this.context.engineUrl, 'ARCADE_ENGINE_URL'), setting: 'ARCADE_ENGINE_URL' }
      : { url: checkedUrl(this.engineUrl, '--engine-url'), setting: '--engine-url' };
  }
}

/** A spinner's label: `Waiting for api.arcade.dev and cloud.arcade.dev`. */
export function waitingFor(targets: readonly ApiTarget[]): string {
  const hosts = [...new Set(targets.map((target) => (URL.canParse(target.url) ? new URL(target.url).host : target.url)))];
  return `Waiting for ${printable(hosts.join(' and '))}`;
}

/** Both spellings of a server command: `server NAME` first (the canonical path events name), then the `worker NAME` alias. */
export const serverPaths = (name: string) => [
  ['server', name],
  ['worker', name],
];

/** A server command's help: in the Servers category, its details ending with the alias. */
export function serverUsage(name: string, usage: { description: string; details?: string; examples: [string, string][] }) {
  const alias = `Also available as \`arcade worker ${name}\`.`;
  return Command.Usage({ category: 'Servers', ...usage, details: usage.details ? `${usage.details} ${alias}` : alias });
}

/** `server enable ID` and `server disable ID` (two classes, so that each has its own help). */
export abstract class ServerSwitchCommand extends EngineServerCommand {
  protected abstract readonly enable: boolean;

  id = Option.String({ required: true, name: 'id' });

  protected async run(): Promise<number> {
    const engine = this.engine();
    await this.calling([engine], () => this.context.app.setWorkerEnabled.execute(this.id, this.enable, engine));
    this.print({ id: this.id, enabled: this.enable }, `${this.enable ? 'Enabled' : 'Disabled'} server ${printable(this.id)}.\n`);
    return 0;
  }
}
