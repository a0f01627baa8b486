/**
 * Issue "Every promise holds under attack": each attack that once broke a promise of the README,
 * tried again against the built CLI.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Sandbox } from '../support/sandbox.js';
import { startStandIns, stopStandIns, type StandIns } from '../support/stand-ins.js';

let world: StandIns;
let sandbox: Sandbox;

beforeEach(async () => {
  world = await startStandIns();
  ({ sandbox } = world);
});

afterEach(async () => {
  await sandbox.waitForNoProcesses();
  await stopStandIns(world);
});

describe('BROWSER', () => {
  it('gets the login URL as one literal argument: shell syntax in it runs nothing', async () => {
    const urlFile = join(sandbox.root, 'browser-got');
    // Hosts are lower-cased, so the payload reads ${ifs}, which the environment sets to a space for a shell to use.
    const host = 'x$(touch${ifs}pwned)`touch${ifs}pwned2`;touch${ifs}pwned3';
    for (const quoting of ['%s', '"%s"', "'%s'", '']) {
      const result = await sandbox.run(['login', '--timeout', '1'], {
        ARCADE_CLOUD_URL: `http://${host}`,
        BROWSER: `${process.execPath} ${join(ROOT, 'dist/stand-ins/fake-browser.js')} ${quoting}`,
        FAKE_BROWSER_SAVE_URL: urlFile,
        ifs: ' ',
      });
      expect(result).toExitWith(1);
      const printed = /^ {2}(\S+)$/m.exec(result.stdout)?.[1];
      expect(printed).toContain(`http://${host}/api/v1/auth/cli_login?`);
      expect(readFileSync(urlFile, 'utf8')).toBe(printed);
    }
    for (const name of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(sandbox.root, name))).toBe(false);
  });

  it('turns an Arcade Cloud URL that cannot be parsed into a one-line error', async () => {
    const result = await sandbox.run(['login', '--timeout', '1'], { ARCADE_CLOUD_URL: 'http://a b' });
    expect(result).toExitWith(1);
    expect(result.stderr.split('\n')[0]).toBe('The Arcade Cloud URL is not a valid URL: "http://a b".');
  });
});
