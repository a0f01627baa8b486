/** Issue "Every promise holds under attack": BROWSER is split into words, never given to a shell. */
import { describe, expect, it } from '@jest/globals';
import { browserCommand, splitWords } from '../../src/adapters/process/browser-command.js';

const URL_WITH_TRICKS = 'http://x$(touch pwned)`id`;rm -rf ~\'"/api/v1/auth/cli_login?state=a&b=c';

describe('BROWSER', () => {
  it.each([
    ['firefox', ['firefox', URL_WITH_TRICKS]],
    ['firefox %s', ['firefox', URL_WITH_TRICKS]],
    ['firefox "%s"', ['firefox', URL_WITH_TRICKS]],
    ["firefox '%s'", ['firefox', URL_WITH_TRICKS]],
    ['chromium --app=%s --new-window', ['chromium', `--app=${URL_WITH_TRICKS}`, '--new-window']],
    ['"/opt/My Browser/bin" -x', ['/opt/My Browser/bin', '-x', URL_WITH_TRICKS]],
    ['/opt/My\\ Browser/bin', ['/opt/My Browser/bin', URL_WITH_TRICKS]],
    ['  lynx  ', ['lynx', URL_WITH_TRICKS]],
  ])('%s passes the URL as one literal argument', (browser, expected) => {
    const [command, args] = browserCommand(browser, URL_WITH_TRICKS)!;
    expect([command, ...args]).toEqual(expected);
  });

  it('uses the first of a list of browsers, as Python’s webbrowser does', () => {
    expect(browserCommand('w3m %s:lynx', 'u')).toEqual(['w3m', ['u']]);
    expect(browserCommand(':lynx', 'u')).toEqual(['lynx', ['u']]);
  });

  it('opens nothing for an empty BROWSER and refuses an unterminated quote', () => {
    expect(browserCommand('   ', 'u')).toBeNull();
    expect(() => splitWords("firefox 'oops")).toThrow('unterminated single quote');
    expect(() => splitWords('firefox "oops')).toThrow('unterminated double quote');
  });

  it('keeps shell syntax literal', () => {
    expect(splitWords('a$(b) `c` d;e "f\\"g" \'h\\i\' j\\ k')).toEqual(['a$(b)', '`c`', 'd;e', 'f"g', 'h\\i', 'j k']);
  });
});
