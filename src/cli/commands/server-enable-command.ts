import { serverPaths, serverUsage, ServerSwitchCommand } from './server-command.js';

/** `arcade server enable ID`. */
export class ServerEnableCommand extends ServerSwitchCommand {
  static override paths = serverPaths('enable');
  static override usage = serverUsage('enable', {
    description: 'Enable a server in the Engine',
    examples: [['Enable my-server', '$0 server enable my-server']],
  });
  protected readonly enable = true;
}
