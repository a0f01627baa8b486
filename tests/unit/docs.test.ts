/** The documentation says exactly what the code sends and does: checked here so it cannot drift. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EVENTS_DROPPED_PROPERTY } from '../../src/domain/delivery-policy.js';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { aliasMessage, commandEvent, EVENT_ALIAS, EVENT_FAILED, EVENT_SUCCEEDED } from '../../src/domain/usage-event.js';
import { RUNTIME } from '../support/memory-app.js';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

/** The backticked names in the first column of the markdown table under `heading`. */
function firstColumn(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const section = markdown.slice(start + heading.length).split(/\n#{1,3} /)[0];
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([^`]+)`/g)].map((match) => match[1]));
}

function sentProperties(): string[] {
  const run = {
    commandName: 'whoami',
    exitCode: 1,
    failure: { code: 'internal' as const, message: 'TypeError' },
    startedAt: new Date(),
    monotonicStartMs: 1,
    monotonicEndMs: 2,
  };
  const anonymousFailure = commandEvent(run, { distinctId: 'a', anonymous: true, anonId: 'a' }, RUNTIME, 'u', [], {
    orgId: 'org-1',
    projectId: 'prj-1',
  });
  return [...Object.keys(anonymousFailure.properties), EVENTS_DROPPED_PROPERTY].sort();
}

describe('docs/telemetry.md', () => {
  const doc = read('docs/telemetry.md');

  it('lists every event the code sends, and no other', () => {
    expect(firstColumn(doc, '## Events').sort()).toEqual([EVENT_ALIAS, EVENT_FAILED, EVENT_SUCCEEDED].sort());
  });

  it('lists every command event property, and no other', () => {
    expect(firstColumn(doc, '## Command event properties').sort()).toEqual(sentProperties());
  });

  it('lists every error code, and no other', () => {
    expect(firstColumn(doc, '## Error codes').sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('compares every command event property with the Python Arcade CLI', () => {
    const compared = firstColumn(doc, '## Side by side with the Python Arcade CLI');
    expect(sentProperties().filter((name) => !compared.includes(name))).toEqual([]);
  });

  it('lists every alias property, and no other', () => {
    expect(firstColumn(doc, '## Alias properties').sort()).toEqual(
      Object.keys(aliasMessage('p', 'a', 'u', new Date()).properties).sort(),
    );
  });

  it('shows an example event with every command property', () => {
    const example = JSON.parse(/```json\n([\s\S]+?)```/.exec(doc)![1]) as { properties: Record<string, unknown> };
    // The example is an anonymous failure: no login, so no organization or project.
    expect(sentProperties().filter((name) => !(name in example.properties))).toEqual([
      EVENTS_DROPPED_PROPERTY,
      'org_id',
      'project_id',
    ]);
  });
});

describe('README.md', () => {
  const readme = read('README.md');

  it('starts with the two quick-start commands', () => {
    const commands = [...readme.matchAll(/^(npm ci && npm run \w+|npm ci && npm test)\b/gm)].map((match) => match[1]);
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
    expect(readme.indexOf('npm ci && npm run demo')).toBeLessThan(readme.indexOf('## '));
  });

  it('"What we collect" names every property sent', () => {
    expect(firstColumn(readme, '## What we collect').sort()).toEqual(sentProperties());
  });
});
