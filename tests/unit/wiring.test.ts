/**
 * Wiring mistakes fail the type checker or this test. The `@ts-expect-error` lines are checked by
 * `tsc` (part of `npm test`): if a mis-wiring below ever compiled, the unused directive would fail it.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { MemoryWorld } from '../../src/adapters/memory/module.js';
import { FsSettingsStore } from '../../src/adapters/fs/fs-settings-store.js';
import { StateDir } from '../../src/adapters/fs/state-dir.js';
import { applicationModule, buildUseCases, realModules } from '../../src/cli/composition-root.js';
import { readConfig } from '../../src/cli/config.js';
import { USE_CASES } from '../../src/cli/use-cases.js';
import { useCase } from '../../src/cli/wiring.js';
import { Outbox } from '../../src/domain/ports/outbox.js';
import { SettingsStore } from '../../src/domain/ports/settings-store.js';
import { RUNTIME } from '../support/memory-app.js';

describe('wiring', () => {
  it('resolves every use case from the real adapters', () => {
    const root = mkdtempSync(join(tmpdir(), 'arcade-wiring-'));
    try {
      const config = readConfig({ HOME: root, ARCADE_WORK_DIR: root });
      const { useCases } = buildUseCases(realModules(config, '0.0.0', '/nonexistent/main.js', process.stderr));
      expect(Object.keys(useCases).sort()).toEqual(Object.keys(USE_CASES).sort());
      for (const [name, useCaseClass] of Object.entries(USE_CASES))
        expect(useCases[name as keyof typeof useCases]).toBeInstanceOf(useCaseClass);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('resolves every use case from the in-memory adapters', () => {
    const world = new MemoryWorld();
    const { useCases } = buildUseCases([
      applicationModule({ env: {}, runtime: RUNTIME, stateDir: '/home/ann/.arcade', cloudUrl: 'https://cloud.arcade.dev' }),
      world.module(),
    ]);
    expect(Object.values(useCases).every((each) => each !== undefined)).toBe(true);
  });

  it('fails to resolve when a port has no adapter', () => {
    const world = new MemoryWorld();
    const withoutOutbox = new ContainerModule((options) => {
      void world.module().load({
        ...options,
        bind: ((token: unknown) =>
          token === Outbox ? options.bind(Symbol('unused')) : options.bind(token as never)) as typeof options.bind,
      });
    });
    const { useCases } = buildUseCases([
      applicationModule({ env: {}, runtime: RUNTIME, stateDir: '/x', cloudUrl: 'https://cloud.arcade.dev' }),
      withoutOutbox,
    ]);
    // Resolved on first use: the use case that needs the missing port fails then, naming it.
    expect(() => useCases.trackCommand).toThrow(/Outbox/);
  });

  it('does not compile a use case whose inject list names the wrong port, or an adapter bound to the wrong port', () => {
    class MisWired {
      static readonly inject = [Outbox] as const;
      constructor(readonly settings: SettingsStore) {}
    }
    // @ts-expect-error: MisWired asks for an Outbox but its constructor takes a SettingsStore
    expect(useCase(MisWired)).toBe(MisWired);

    class RightlyWired {
      static readonly inject = [SettingsStore] as const;
      constructor(readonly settings: SettingsStore) {}
    }
    expect(useCase(RightlyWired)).toBe(RightlyWired);

    const settings = new FsSettingsStore(new StateDir('/nonexistent'));
    new ContainerModule(({ bind }) => {
      // @ts-expect-error: a SettingsStore adapter cannot be bound to the Outbox port
      bind(Outbox).toConstantValue(settings);
      bind(SettingsStore).toConstantValue(settings);
    });
  });
});
