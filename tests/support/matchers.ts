/** Jest matchers for CLI results: a wrong exit code shows what the CLI printed, so a failure in CI explains itself. */
import { expect } from '@jest/globals';
import type { CliResult } from './sandbox.js';

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- merging must repeat expect's own type parameters
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /** The CLI run exited with this code (and was not killed). */
    toExitWith(code: number): R;
  }
}

expect.extend({
  toExitWith(received: CliResult, code: number) {
    const pass = received.code === code && !received.killed;
    const outcome = received.killed ? 'was killed (it hung)' : `exited with ${received.code}`;
    return {
      pass,
      message: () =>
        `expected the CLI ${pass ? 'not ' : ''}to exit with ${code}; it ${outcome}\n` +
        `stdout: ${JSON.stringify(received.stdout)}\nstderr: ${JSON.stringify(received.stderr)}`,
    };
  },
});
