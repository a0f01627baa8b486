/**
 * The one place that knows every concrete class: it wires adapters to ports and use cases to
 * adapters with Inversify, then hands the use cases to the commands through Clipanion's context.
 */
import { Cli } from 'clipanion';
import { Container, ContainerModule } from 'inversify';
import { DecideTracking } from '../application/decide-tracking.js';
import { DeliverEvents } from '../application/deliver-events.js';
import { ListWorkers } from '../application/list-workers.js';
import { Login } from '../application/login.js';
import { Logout } from '../application/logout.js';
import { ResolveIdentity } from '../application/resolve-identity.js';
import { RemoveWorker } from '../application/remove-worker.js';
import { RotateIdentity } from '../application/rotate-identity.js';
import { SetTracking } from '../application/set-tracking.js';
import { SetWorkerEnabled } from '../application/set-worker-enabled.js';
import { TrackCommand } from '../application/track-command.js';
import { UsageLog } from '../application/usage-log.js';
import { UsageStatus } from '../application/usage-status.js';
import { Whoami } from '../application/whoami.js';
import { FLUSHER_HARD_LIMIT_MS } from '../domain/delivery-policy.js';
import type { RuntimeInfo } from '../domain/runtime-info.js';
import type { Environment } from '../domain/tracking-decision.js';
import { AnalyticsSink } from '../domain/ports/analytics-sink.js';
import { BackgroundRunner } from '../domain/ports/background-runner.js';
import { BrowserLogin } from '../domain/ports/browser-login.js';
import { Clock } from '../domain/ports/clock.js';
import { CloudDeployments } from '../domain/ports/cloud-deployments.js';
import { CredentialsStore } from '../domain/ports/credentials-store.js';
import { DeliveredLog } from '../domain/ports/delivered-log.js';
import { DeliveryLock } from '../domain/ports/delivery-lock.js';
import { DeliveryStateStore } from '../domain/ports/delivery-state-store.js';
import { EngineWorkers } from '../domain/ports/engine-workers.js';
import { IdSource } from '../domain/ports/id-source.js';
import { IdentityStore } from '../domain/ports/identity-store.js';
import { Outbox } from '../domain/ports/outbox.js';
import { PrincipalSource } from '../domain/ports/principal-source.js';
import { SettingsStore } from '../domain/ports/settings-store.js';
import { arcadeApiModule } from '../adapters/arcade-api/module.js';
import { DryRunIdentityStore, NoBackgroundRunner, PrintingOutbox, PrintingSink } from '../adapters/debug/debug-adapters.js';
import { removeDeadTempFiles } from '../adapters/fs/atomic-write.js';
import { fsModule } from '../adapters/fs/module.js';
import { posthogModule } from '../adapters/posthog/module.js';
import { processModule } from '../adapters/process/module.js';
import { runtimeInfo } from '../adapters/system/runtime-info.js';
import { systemModule } from '../adapters/system/module.js';
import { COMMANDS } from './commands/index.js';
import type { CliConfig } from './config.js';
import type { CliContext, UseCases } from './context.js';

const RuntimeInfoToken = Symbol.for('RuntimeInfo');
const EnvironmentToken = Symbol.for('Environment');
const StateDirToken = Symbol.for('StateDir');

/** The use cases, each built from the ports it names. */
export function applicationModule(env: Environment, runtime: RuntimeInfo, stateDir: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(EnvironmentToken).toConstantValue(env);
    bind(RuntimeInfoToken).toConstantValue(runtime);
    bind(StateDirToken).toConstantValue(stateDir);
    bind(DecideTracking)
      .toDynamicValue(({ get }) => new DecideTracking(get(EnvironmentToken), get(SettingsStore)))
      .inSingletonScope();
    bind(ResolveIdentity)
      .toDynamicValue(
        ({ get }) =>
          new ResolveIdentity(
            get(IdentityStore),
            get(CredentialsStore),
            get(PrincipalSource),
            get(AnalyticsSink),
            get(Outbox),
            get(Clock),
            get(IdSource),
          ),
      )
      .inSingletonScope();
    bind(TrackCommand)
      .toDynamicValue(
        ({ get }) =>
          new TrackCommand(
            get(DecideTracking),
            get(ResolveIdentity),
            get(CredentialsStore),
            get(Outbox),
            get(BackgroundRunner),
            get(DeliveryLock),
            get(DeliveryStateStore),
            get(SettingsStore),
            get(Clock),
            get(IdSource),
            get(RuntimeInfoToken),
          ),
      )
      .inSingletonScope();
    bind(Login).toDynamicValue(
      ({ get }) => new Login(get(CredentialsStore), get(BrowserLogin), get(DecideTracking), get(ResolveIdentity)),
    );
    bind(Logout).toDynamicValue(({ get }) => new Logout(get(CredentialsStore)));
    bind(RotateIdentity).toDynamicValue(({ get }) => new RotateIdentity(get(IdentityStore), get(IdSource)));
    bind(Whoami).toDynamicValue(({ get }) => new Whoami(get(CredentialsStore)));
    bind(UsageStatus).toDynamicValue(
      ({ get }) =>
        new UsageStatus(get(DecideTracking), get(IdentityStore), get(Outbox), get(DeliveryStateStore), get(StateDirToken)),
    );
    bind(SetTracking).toDynamicValue(
      ({ get }) =>
        new SetTracking(get(SettingsStore), get(Outbox), get(IdentityStore), get(DeliveredLog), get(DeliveryStateStore)),
    );
    bind(UsageLog).toDynamicValue(({ get }) => new UsageLog(get(DeliveredLog)));
    bind(ListWorkers).toDynamicValue(
      ({ get }) => new ListWorkers(get(CredentialsStore), get(EngineWorkers), get(CloudDeployments)),
    );
    bind(SetWorkerEnabled).toDynamicValue(({ get }) => new SetWorkerEnabled(get(CredentialsStore), get(EngineWorkers)));
    bind(RemoveWorker).toDynamicValue(
      ({ get }) => new RemoveWorker(get(CredentialsStore), get(EngineWorkers), get(CloudDeployments)),
    );
    bind(DeliverEvents).toDynamicValue(
      ({ get }) =>
        new DeliverEvents(
          get(Outbox),
          get(AnalyticsSink),
          get(DeliveryLock),
          get(DeliveryStateStore),
          get(DecideTracking),
          get(BackgroundRunner),
          get(DeliveredLog),
          get(Clock),
        ),
    );
  });
}

/** Builds the container from the adapter modules given (real ones here, in-memory ones in tests) and resolves the use cases. */
export function buildUseCases(
  modules: readonly ContainerModule[],
  debugWrite?: (line: string) => void,
): { useCases: UseCases; clock: Clock } {
  const container = new Container();
  container.loadSync(...modules);
  if (debugWrite) {
    // ARCADE_USAGE_DEBUG: wrap the real adapters so events are printed, and nothing is queued, sent or linked.
    const [outbox, identities] = [container.get<Outbox>(Outbox), container.get<IdentityStore>(IdentityStore)];
    container.rebindSync(Outbox).toConstantValue(new PrintingOutbox(outbox, debugWrite));
    container.rebindSync(IdentityStore).toConstantValue(new DryRunIdentityStore(identities));
    container.rebindSync(AnalyticsSink).toConstantValue(new PrintingSink(debugWrite));
    container.rebindSync(BackgroundRunner).toConstantValue(new NoBackgroundRunner());
  }
  const useCases: UseCases = {
    decideTracking: container.get(DecideTracking),
    trackCommand: container.get(TrackCommand),
    login: container.get(Login),
    logout: container.get(Logout),
    rotateIdentity: container.get(RotateIdentity),
    whoami: container.get(Whoami),
    usageStatus: container.get(UsageStatus),
    deliverEvents: container.get(DeliverEvents),
    setTracking: container.get(SetTracking),
    usageLog: container.get(UsageLog),
    listWorkers: container.get(ListWorkers),
    setWorkerEnabled: container.get(SetWorkerEnabled),
    removeWorker: container.get(RemoveWorker),
  };
  return { useCases, clock: container.get<Clock>(Clock) };
}

function realModules(config: CliConfig, version: string, entryScript: string): ContainerModule[] {
  return [
    applicationModule(config.env, runtimeInfo(version, config.env, config.homeDir), config.stateDir),
    systemModule(),
    fsModule(config.stateDir),
    posthogModule(config.posthogHost, config.posthogKey),
    arcadeApiModule(config.cloudUrl, config.engineUrl, config.env),
    processModule(entryScript, config.stateDir),
  ];
}

export interface Io {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Runs one CLI invocation; resolves to the exit code. Parse errors go to stderr with exit 2. */
export async function runCli(argv: string[], config: CliConfig, version: string, entryScript: string, io: Io): Promise<number> {
  const debugWrite = config.debug ? (line: string) => void io.stderr.write(`${line}\n`) : undefined;
  const { useCases, clock } = buildUseCases(realModules(config, version, entryScript), debugWrite);
  const cli = new Cli<CliContext>({
    binaryName: 'arcade',
    binaryLabel: 'Arcade CLI',
    binaryVersion: version,
    enableColors: false,
  });
  for (const command of COMMANDS) cli.register(command);
  const context = { ...Cli.defaultContext, ...io, colorDepth: 1, app: useCases, clock, homeDir: config.homeDir } as CliContext;
  let command;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    io.stderr.write(cli.error(error, { colored: false }));
    return 2;
  }
  return cli.run(command, context);
}

/** The detached delivery process: deliver within the hard limit, print nothing, always exit. */
export async function runBackgroundDelivery(config: CliConfig, version: string, entryScript: string): Promise<void> {
  const startedAt = Date.now();
  setTimeout(() => process.exit(0), FLUSHER_HARD_LIMIT_MS + 500).unref();
  const { useCases } = buildUseCases(realModules(config, version, entryScript));
  await removeDeadTempFiles(config.stateDir);
  await useCases.deliverEvents.execute({
    budgetMs: FLUSHER_HARD_LIMIT_MS - (Date.now() - startedAt),
    lingerMs: 1000,
    handOver: true,
  });
}
