/** The hexagon's rule: the domain and the use cases import nothing from adapters, the CLI, frameworks or I/O. */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');
const FORBIDDEN =
  /from ['"](?:(?:\.\.\/)+(?:adapters|cli|stand-ins)\/|inversify|clipanion|got|posthog-node|proper-lockfile|yaml|(?:node:)?(?:fs|fs\/promises|child_process|http|https|net|os|crypto)['"])/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('layering', () => {
  it.each(['domain', 'application'])('src/%s imports no adapter, CLI, framework or I/O module', (layer) => {
    const files = sources(join(SRC, layer));
    expect(files.length).toBeGreaterThan(3);
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => FORBIDDEN.test(line))
        .map((line) => `${file.slice(SRC.length + 1)}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('catches an offending import (the check itself can fail)', () => {
    expect(FORBIDDEN.test("import { readFile } from 'node:fs/promises';")).toBe(true);
    expect(FORBIDDEN.test("import { FsOutbox } from '../../adapters/fs/fs-outbox.js';")).toBe(true);
    expect(FORBIDDEN.test("import type { Clock } from '../domain/ports/clock.js';")).toBe(false);
  });
});
