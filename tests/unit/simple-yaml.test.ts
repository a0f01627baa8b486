/** The credentials fast path reads a file exactly as the YAML package does, or leaves it to the package. */
import { describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { parseSimpleYaml } from '../../src/adapters/fs/simple-yaml.js';

const KEY = 'arc_live_4f8b2c9d1e7a6b3c5d0e9f8a';

describe('parseSimpleYaml', () => {
  it.each([
    [`cloud:\n  api:\n    key: ${KEY}\n  user:\n    email: alice@example.com\n`],
    [`cloud:\r\n    api:\r\n        key: ${KEY}\r\n    user:\r\n        email: a.b+c@example.co.uk\r\n`],
    [`engine:\n  url: https\ncloud:\n  user:\n    email: x@y.z\n  api:\n    key: ${KEY}\n\n`],
    [stringify({ cloud: { api: { key: KEY }, user: { email: 'alice@example.com' } } })],
  ])('reads the usual layout as YAML does: %j', (text) => {
    expect(parseSimpleYaml(text)).toEqual(parse(text));
  });

  it.each([
    ['a comment', `# mine\ncloud:\n  api:\n    key: ${KEY}\n`],
    ['a quoted value', `cloud:\n  api:\n    key: "${KEY}"\n`],
    ['a number', `cloud:\n  api:\n    key: 12345\n`],
    ['a value starting with a digit (a date, say)', `cloud:\n  api:\n    key: 2026-01-01\n`],
    ['a boolean in capitals', `cloud:\n  api:\n    key: ON\n`],
    ['a boolean', `cloud:\n  api:\n    key: yes\n`],
    ['null', `cloud:\n  api:\n    key: ~\n`],
    ['a flow mapping', `cloud: {api: {key: ${KEY}}}\n`],
    ['a list', `cloud:\n  - ${KEY}\n`],
    ['a tab', `cloud:\n\tapi: x\n`],
    ['an empty mapping', `cloud:\n  api:\n`],
    ['a duplicate key', `cloud:\n  api: a\n  api: b\n`],
    ['odd indentation', `cloud:\n    api:\n      key: a\n  user: b\n`],
    ['a value with a colon', `cloud:\n  url: http://x\n`],
    ['an unclosed flow sequence', `cloud:\n  api: [unclosed ${KEY}\n`],
  ])('leaves %s to the YAML package', (_what, text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });

  it('on thousands of generated documents, either reads what YAML reads or leaves the document to the package', () => {
    // From a fixed seed, so a failure repeats.
    let seed = 20261125;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const pieces = [
      'cloud',
      'api',
      'key',
      'user',
      'email',
      'a_b-c',
      '_x',
      'Yes',
      'null',
      'arc_9f',
      'a@b.co',
      'x/y=z+',
      '1e3',
      '2026-01-01',
    ];
    const marks = [':', ': ', ':  ', ' ', '  ', '#', '"', "'", '\t', '\r', '-', '.', '\u00a0', '{', '[', '~', '&'];
    // A document of the layout (a key with no value opens a mapping, indented two more), one line in
    // four with a mark put in somewhere.
    const document = () => {
      const lines: string[] = [];
      for (let depth = 0, n = 1 + next(6); lines.length < n;) {
        const opens = next(2) === 0;
        const text = `${'  '.repeat(depth)}${pieces[next(pieces.length)]}:${opens ? '' : ` ${pieces[next(pieces.length)]}`}`;
        const at = next(text.length + 1);
        lines.push(next(4) ? text : `${text.slice(0, at)}${marks[next(marks.length)]}${text.slice(at)}`);
        depth = opens ? depth + 1 : next(depth + 1);
      }
      return lines.join(next(2) ? '\n' : '\r\n');
    };
    let accepted = 0;
    for (let doc = 0; doc < 5000; doc += 1) {
      const text = document();
      const simple = parseSimpleYaml(text);
      if (simple === undefined) continue;
      accepted += 1;
      expect([text, simple]).toEqual([text, parse(text)]);
    }
    // The generator reaches the fast path often enough for the comparison to mean something.
    expect(accepted).toBeGreaterThan(500);
  });
});
