/**
 * Wiring mistakes fail the type checker or this test. The `@ts-expect-error` lines are checked by
 * `tsc` (part of `npm test`): if a mis-wiring below ever compiled, the unused directive would fail it.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { DeliverEvents } from '../../src/application/deliver-events.js';
import { FlushEvents } from '../../src/application/flush-events.js';
import { ListWorkers } from '../../src/application/list-workers.js';
import { Login } from '../../src/application/login.js';
import { BrowserLogin } from '../../src/domain/ports/browser-login.js';
import { CloudDeployments } from '../../src/domain/ports/cloud-deployments.js';
import { Coordinator } from '../../src/domain/ports/coordinator.js';
import { EngineWorkers } from '../../src/domain/ports/engine-workers.js';
import { PrincipalSource } from '../../src/domain/ports/principal-source.js';
import { MemoryWorld } from '../../src/adapters/memory/module.js';
import { FsSettingsStore } from '../../src/adapters/fs/fs-settings-store.js';
import { StateDir } from '../../src/adapters/fs/state-dir.js';
import {
  buildContainer,
  buildUseCases,
  commandAdapters,
  deliveryAdapters,
  providedValues,
} from '../../src/cli/composition-root.js';
import { DELIVERY_USE_CASES } from '../../src/cli/delivery-use-cases.js';
import { readConfig } from '../../src/cli/config.js';
import { USE_CASES } from '../../src/cli/use-cases.js';
import { useCase } from '../../src/cli/wiring.js';
import { Outbox } from '../../src/domain/ports/outbox.js';
import { SettingsStore } from '../../src/domain/ports/settings-store.js';
import { RUNTIME, TESTED_USE_CASES } from '../support/memory-app.js';

describe('wiring', () => {
  it('resolves every use case from the real adapters: the commands’ container, and the delivery process’s', () => {
    const root = mkdtempSync(join(tmpdir(), 'arcade-wiring-'));
    try {
      const config = readConfig({ HOME: root, ARCADE_WORK_DIR: root });
      const values = providedValues(config, '0.0.0');
      const commands = buildUseCases(USE_CASES, values, commandAdapters(config, '/nonexistent/main.js', process.stderr));
      expect(Object.keys(commands.useCases).sort()).toEqual(Object.keys(USE_CASES).sort());
      for (const [name, useCaseClass] of Object.entries(USE_CASES))
        expect(commands.useCases[name as keyof typeof commands.useCases]).toBeInstanceOf(useCaseClass);
      const delivery = buildUseCases(DELIVERY_USE_CASES, values, deliveryAdapters(config, '/nonexistent/main.js'));
      expect(delivery.useCases.deliverInBackground).toBeInstanceOf(DELIVERY_USE_CASES.deliverInBackground);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('binds, for the delivery process, no use case it does not run and no port beyond delivery’s', () => {
    const root = mkdtempSync(join(tmpdir(), 'arcade-wiring-'));
    try {
      const config = readConfig({ HOME: root, ARCADE_WORK_DIR: root });
      const container = buildContainer(DELIVERY_USE_CASES, providedValues(config, '0.0.0'), deliveryAdapters(config, '/x.js'));
      expect([Login, FlushEvents, ListWorkers].map((token) => container.isBound(token))).toEqual([false, false, false]);
      expect([EngineWorkers, CloudDeployments, BrowserLogin, Coordinator].map((token) => container.isBound(token))).toEqual([
        false,
        false,
        false,
        false,
      ]);
      expect([DeliverEvents, PrincipalSource].map((token) => container.isBound(token))).toEqual([true, true]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('resolves every use case from the in-memory adapters', () => {
    const world = new MemoryWorld();
    const values = { env: {}, runtime: RUNTIME, stateDir: '/home/ann/.arcade', cloudUrl: 'https://cloud.arcade.dev' };
    const { useCases } = buildUseCases(TESTED_USE_CASES, values, [world.module()]);
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
    const values = { env: {}, runtime: RUNTIME, stateDir: '/x', cloudUrl: 'https://cloud.arcade.dev' };
    const { useCases } = buildUseCases(USE_CASES, values, [withoutOutbox]);
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
