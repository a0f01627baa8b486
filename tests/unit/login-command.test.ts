/** `arcade login`'s options, parsed as the Python Arcade CLI takes them. */
import { describe, expect, it } from '@jest/globals';
import { UsageError } from 'clipanion';
import { callbackAddress } from '../../src/cli/commands/login-command.js';

describe('--callback-host', () => {
  it.each([
    ['myhost', { origin: 'http://myhost', port: null, withServerPort: true, path: '/callback' }],
    ['myhost:8123', { origin: 'http://myhost:8123', port: 8123, withServerPort: true, path: '/callback' }],
    [
      'https://my-space.example.dev:9999/path',
      { origin: 'https://my-space.example.dev:9999', port: 9999, withServerPort: false, path: '/path/callback' },
    ],
    [
      'https://name-9905.app.github.dev/callback/',
      { origin: 'https://name-9905.app.github.dev', port: null, withServerPort: false, path: '/callback' },
    ],
  ])('takes %j as the Python CLI does', (value, address) => {
    expect(callbackAddress(value)).toEqual(address);
  });

  it.each(['evil.example.com/x?', 'a b', 'user@host', 'ftp://host', 'host#x', '', 'http://'])(
    'refuses %j as a usage error',
    (value) => {
      expect(() => callbackAddress(value)).toThrow(UsageError);
    },
  );
});
