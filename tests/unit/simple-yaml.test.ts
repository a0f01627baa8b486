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
});
