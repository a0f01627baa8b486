/**
 * The one place that knows every concrete class: it loads the adapter modules (real ones here,
 * in-memory ones in tests), binds the use cases its caller names (`USE_CASES` for a command,
 * `DELIVERY_USE_CASES` for the delivery process) and those they need, each from its `inject` list,
 * and hands them out. Nothing else asks the container for anything.
 */
import { Container, ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import { CloudUrl, Runtime, StateDirectory, TrackingEnvironment } from '../application/provided-values.js';
import { Clock } from '../domain/ports/clock.js';
import type { ValueToken } from '../domain/ports/value-token.js';
import type { RuntimeInfo } from '../domain/runtime-info.js';
import type { Environment } from '../domain/tracking-decision.js';
import { arcadeApiModule } from '../adapters/arcade-api/module.js';
import { principalSourceModule } from '../adapters/arcade-api/principal-module.js';
import { debugModule } from '../adapters/debug/module.js';
import { fsModule } from '../adapters/fs/module.js';
import { posthogModule } from '../adapters/posthog/module.js';
import { processModule } from '../adapters/process/module.js';
import { runtimeInfo } from '../adapters/system/runtime-info.js';
import { systemModule } from '../adapters/system/module.js';
import type { CliConfig } from './config.js';
import { bindUseCases, type Built, type UseCaseMap } from './wiring.js';

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

/** The use cases `entries` name and every use case they need, with the values they need. */
function applicationModule(values: ProvidedValues, entries: UseCaseMap): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bindValue(bind, TrackingEnvironment, values.env);
    bindValue(bind, Runtime, values.runtime);
    bindValue(bind, StateDirectory, values.stateDir);
    bindValue(bind, CloudUrl, values.cloudUrl);
    bindUseCases(bind, Object.values(entries));
  });
}

/**
 * Builds the container from the adapter modules given and hands out the use cases `entries` names
 * (`USE_CASES` for a command, `DELIVERY_USE_CASES` for the delivery process). Each is resolved when
 * first used (a singleton from then on), so `--help` or `completion` builds nothing.
 */
export function buildUseCases<Map extends UseCaseMap>(
  entries: Map,
  values: ProvidedValues,
  adapters: readonly ContainerModule[],
): { useCases: Built<Map>; clock: Clock } {
  const container = buildContainer(entries, values, adapters);
  const useCases = {};
  for (const [name, useCaseClass] of Object.entries(entries))
    Object.defineProperty(useCases, name, { enumerable: true, get: () => container.get(useCaseClass) });
  return { useCases: useCases as Built<Map>, clock: container.get(Clock) };
}

/** The container behind buildUseCases (exported for the wiring test, which checks what it binds). */
export function buildContainer(entries: UseCaseMap, values: ProvidedValues, adapters: readonly ContainerModule[]): Container {
  const container = new Container();
  container.loadSync(applicationModule(values, entries), ...adapters);
  return container;
}

export function providedValues(config: CliConfig, version: string): ProvidedValues {
  return {
    env: config.env,
    runtime: runtimeInfo(version, config.env, config.homeDir),
    stateDir: config.stateDir,
    cloudUrl: config.cloudUrl,
  };
}

/** A command's adapters: the delivery process's, and the Arcade API's. */
export function commandAdapters(config: CliConfig, entryScript: string, stderr: NodeJS.WritableStream): ContainerModule[] {
  return [...deliveryAdapters(config, entryScript, stderr), arcadeApiModule(config.cloudUrl, config.env)];
}

/** The delivery process's adapters: delivery's ports only (no Engine, deployments, log streams or browser). */
export function deliveryAdapters(
  config: CliConfig,
  entryScript: string,
  stderr: NodeJS.WritableStream = process.stderr,
): ContainerModule[] {
  return [
    systemModule(),
    fsModule(config.stateDir, config.apiKey),
    posthogModule(config.posthogHost, config.posthogKey),
    principalSourceModule(config.cloudUrl),
    processModule(entryScript, config.stateDir),
    debugModule(stderr),
  ];
}
