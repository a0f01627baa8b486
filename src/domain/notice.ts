/** The first-run notice. Bump the version when what is collected changes, and it is shown again. */
export const NOTICE_VERSION = 1;

export const NOTICE_TEXT = [
  'arcade collects anonymous usage data (command name, duration, success or failure, CLI, Node.js and',
  'OS versions) to improve the tool; after `arcade login` it is linked to your account. It never',
  'collects your API key, email, file paths or command arguments.',
  'Opt out with ARCADE_USAGE_TRACKING=0 (or DO_NOT_TRACK=1), or `arcade usage disable`.',
].join('\n');
