import { serverPaths, serverUsage, ServerSwitchCommand } from './server-command.js';

/** `arcade server disable ID`. */
export class ServerDisableCommand extends ServerSwitchCommand {
  static override paths = serverPaths('disable');
  static override usage = serverUsage('disable', {
    description: 'Disable a server in the Engine',
    examples: [['Disable my-server', '$0 server disable my-server']],
  });
  protected readonly enable = false;
}
