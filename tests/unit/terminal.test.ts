/** The spinner and colour (on a terminal only, never in CI or with NO_COLOR), and text from outside made safe for a terminal. */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { jsonText, paint, printable, printableLines, startSpinner } from '../../src/cli/terminal.js';

function stream(isTTY: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out, text: () => text };
}

describe('startSpinner', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('draws the label and the seconds on a terminal, and clears its line when stopped', () => {
    const { out, text } = stream(true);
    const spinner = startSpinner(out, {}, 'Waiting for the browser');
    jest.advanceTimersByTime(2050);
    spinner.stop();
    expect(text()).toContain('Waiting for the browser (2 s)');
    expect(text().endsWith('\r\x1b[K')).toBe(true);
  });

  it('draws nothing off a terminal, on a dumb one, in CI, or for a wait shorter than its delay', () => {
    for (const [isTTY, env, delay] of [
      [false, {}, 0],
      [true, { TERM: 'dumb' }, 0],
      [true, { CI: 'true' }, 0],
      // CI as the event's is_ci reads it: any common service's variable, not only CI.
      [true, { GITHUB_ACTIONS: 'true' }, 0],
      [true, {}, 300],
    ] as const) {
      const { out, text } = stream(isTTY);
      const spinner = startSpinner(out, env, 'Waiting', delay);
      jest.advanceTimersByTime(299);
      spinner.stop();
      jest.advanceTimersByTime(1000);
      expect(text()).toBe('');
    }
  });
});

describe('paint', () => {
  it('colours on a capable terminal only, and never with a NO_COLOR that has a value (no-color.org)', () => {
    expect(paint(stream(true).out, {}, 'red', 'no')).toBe('\x1b[31mno\x1b[39m');
    expect(paint(stream(true).out, { NO_COLOR: '' }, 'red', 'no')).toBe('\x1b[31mno\x1b[39m');
    expect(paint(stream(true).out, { NO_COLOR: '1' }, 'yellow', 'no')).toBe('no');
    expect(paint(stream(true).out, { TERM: 'dumb' }, 'yellow', 'no')).toBe('no');
    expect(paint(stream(false).out, {}, 'yellow', 'no')).toBe('no');
  });
});

describe('text from outside, bound for the terminal', () => {
  const hostile = 'a\u001b]52;c;eA==\u0007b\u009b2Jc\rd\te\nf\u007f';

  it('printable replaces every control character, printableLines keeps newlines and tabs', () => {
    expect(printable(hostile)).toBe('a\ufffd]52;c;eA==\ufffdb\ufffd2Jc\ufffdd\ufffde\ufffdf\ufffd');
    expect(printableLines(hostile)).toBe('a\ufffd]52;c;eA==\ufffdb\ufffd2Jc\ufffdd\te\nf\ufffd');
  });

  it('jsonText escapes DEL and the C1 controls too, and the data reads back exact', () => {
    const text = jsonText({ name: hostile });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(JSON.parse(text)).toEqual({ name: hostile });
    expect(jsonText({ a: 1 }, 2)).toBe('{\n  "a": 1\n}');
  });
});
