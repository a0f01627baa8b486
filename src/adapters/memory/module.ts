/** The in-memory adapters of every port, one class per file, for unit tests: their state is public, so a test can arrange and inspect it. */
import { ContainerModule } from 'inversify';
import { AnalyticsSink } from '../../domain/ports/analytics-sink.js';
import { BackgroundRunner } from '../../domain/ports/background-runner.js';
import { BrowserLogin } from '../../domain/ports/browser-login.js';
import { Clock } from '../../domain/ports/clock.js';
import { CloudDeployments } from '../../domain/ports/cloud-deployments.js';
import { Coordinator } from '../../domain/ports/coordinator.js';
import { CredentialsStore } from '../../domain/ports/credentials-store.js';
import { DebugOutput } from '../../domain/ports/debug-output.js';
import { EngineWorkers } from '../../domain/ports/engine-workers.js';
import { WorkerLogStream } from '../../domain/ports/worker-logs.js';
import { IdSource } from '../../domain/ports/id-source.js';
import { IdentityStore } from '../../domain/ports/identity-store.js';
import { Outbox } from '../../domain/ports/outbox.js';
import { PrincipalSource } from '../../domain/ports/principal-source.js';
import { SettingsStore } from '../../domain/ports/settings-store.js';
import { FakeClock } from './fake-clock.js';
import { MemoryAnalyticsSink } from './memory-analytics-sink.js';
import { MemoryBackgroundRunner } from './memory-background-runner.js';
import { MemoryBrowserLogin } from './memory-browser-login.js';
import { MemoryCloudDeployments } from './memory-cloud-deployments.js';
import { MemoryCoordinator } from './memory-coordinator.js';
import { MemoryCredentialsStore } from './memory-credentials-store.js';
import { MemoryDebugOutput } from './memory-debug-output.js';
import { MemoryEngineWorkers } from './memory-engine-workers.js';
import { MemoryIdentityStore } from './memory-identity-store.js';
import { MemoryOutbox } from './memory-outbox.js';
import { MemoryPrincipalSource } from './memory-principal-source.js';
import { MemorySettingsStore } from './memory-settings-store.js';
import { MemoryWorkerLogStream } from './memory-worker-log-stream.js';
import { SequentialIds } from './sequential-ids.js';

/** One set of in-memory adapters, shared by the container and the test that inspects them. */
export class MemoryWorld {
  readonly clock = new FakeClock();
  readonly ids = new SequentialIds();
  readonly identities = new MemoryIdentityStore();
  readonly credentials = new MemoryCredentialsStore();
  readonly principals = new MemoryPrincipalSource();
  readonly sink = new MemoryAnalyticsSink();
  readonly outbox = new MemoryOutbox(this.clock);
  readonly runner = new MemoryBackgroundRunner(this.outbox);
  readonly debugOutput = new MemoryDebugOutput();
  readonly settings = new MemorySettingsStore();
  readonly browserLogin = new MemoryBrowserLogin();
  readonly engine = new MemoryEngineWorkers();
  readonly cloud = new MemoryCloudDeployments();
  readonly logs = new MemoryWorkerLogStream();
  readonly coordinator = new MemoryCoordinator();

  module(): ContainerModule {
    return new ContainerModule(({ bind }) => {
      bind(Clock).toConstantValue(this.clock);
      bind(IdSource).toConstantValue(this.ids);
      bind(IdentityStore).toConstantValue(this.identities);
      bind(CredentialsStore).toConstantValue(this.credentials);
      bind(PrincipalSource).toConstantValue(this.principals);
      bind(AnalyticsSink).toConstantValue(this.sink);
      bind(Outbox).toConstantValue(this.outbox);
      bind(BackgroundRunner).toConstantValue(this.runner);
      bind(DebugOutput).toConstantValue(this.debugOutput);
      bind(SettingsStore).toConstantValue(this.settings);
      bind(BrowserLogin).toConstantValue(this.browserLogin);
      bind(EngineWorkers).toConstantValue(this.engine);
      bind(CloudDeployments).toConstantValue(this.cloud);
      bind(WorkerLogStream).toConstantValue(this.logs);
      bind(Coordinator).toConstantValue(this.coordinator);
    });
  }
}
