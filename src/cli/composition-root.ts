/**
 * The one place that knows every concrete class: it loads the adapter modules (real ones here,
 * in-memory ones in tests), binds every use case from its `inject` list, and hands the use cases
 * to the commands through Clipanion's context. Nothing else asks the container for anything.
 */
import { Container, ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import { CloudUrl, Runtime, StateDirectory, TrackingEnvironment } from '../application/provided-values.js';
import { Clock } from '../domain/ports/clock.js';
import type { ValueToken } from '../domain/ports/value-token.js';
import type { RuntimeInfo } from '../domain/runtime-info.js';
import type { Environment } from '../domain/tracking-decision.js';
import { arcadeApiModule } from '../adapters/arcade-api/module.js';
import { debugModule } from '../adapters/debug/module.js';
import { fsModule } from '../adapters/fs/module.js';
import { posthogModule } from '../adapters/posthog/module.js';
import { processModule } from '../adapters/process/module.js';
import { runtimeInfo } from '../adapters/system/runtime-info.js';
import { systemModule } from '../adapters/system/module.js';
import type { CliConfig } from './config.js';
import { USE_CASES, type UseCases } from './use-cases.js';
import { bindUseCase } from './wiring.js';

/** The values use cases need besides ports. */
export interface ProvidedValues {
  readonly env: Environment;
  readonly runtime: RuntimeInfo;
  readonly stateDir: string;
  /** The configured Arcade Cloud URL. */
  readonly cloudUrl: string;
}

function bindValue<T>(bind: ContainerModuleLoadOptions['bind'], token: ValueToken<T>, value: T): void {
  bind(token).toConstantValue(value);
}

/** Every use case, and the values they need. */
export function applicationModule(values: ProvidedValues): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bindValue(bind, TrackingEnvironment, values.env);
    bindValue(bind, Runtime, values.runtime);
    bindValue(bind, StateDirectory, values.stateDir);
    bindValue(bind, CloudUrl, values.cloudUrl);
    for (const useCaseClass of Object.values(USE_CASES)) bindUseCase(bind, useCaseClass);
  });
}

/**
 * Builds the container from the application module and the adapter modules given. Each use case
 * is resolved when a command first uses it (a singleton from then on), so `--help`, `completion`
 * or a delivery builds only what it runs.
 */
export function buildUseCases(modules: readonly ContainerModule[]): { useCases: UseCases; clock: Clock } {
  const container = new Container();
  container.loadSync(...modules);
  const useCases = {};
  for (const [name, useCaseClass] of Object.entries(USE_CASES))
    Object.defineProperty(useCases, name, { enumerable: true, get: () => container.get(useCaseClass) });
  return { useCases: useCases as UseCases, clock: container.get(Clock) };
}

/** The real adapters. */
export function realModules(
  config: CliConfig,
  version: string,
  entryScript: string,
  stderr: NodeJS.WritableStream,
): ContainerModule[] {
  return [
    applicationModule({
      env: config.env,
      runtime: runtimeInfo(version, config.env, config.homeDir),
      stateDir: config.stateDir,
      cloudUrl: config.cloudUrl,
    }),
    systemModule(),
    fsModule(config.stateDir, config.apiKey),
    posthogModule(config.posthogHost, config.posthogKey),
    arcadeApiModule(config.cloudUrl, config.env),
    processModule(entryScript, config.stateDir),
    debugModule(stderr),
  ];
}
