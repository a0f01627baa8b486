import { ContainerModule } from 'inversify';
import { CredentialsStore } from '../../domain/ports/credentials-store.js';
import { IdentityStore } from '../../domain/ports/identity-store.js';
import { Outbox } from '../../domain/ports/outbox.js';
import { SettingsStore } from '../../domain/ports/settings-store.js';
import { EnvironmentCredentials } from './environment-credentials.js';
import { FsCredentialsStore } from './fs-credentials-store.js';
import { FsIdentityStore } from './fs-identity-store.js';
import { FsOutbox } from './fs-outbox.js';
import { FsSettingsStore } from './fs-settings-store.js';
import { StateDir } from './state-dir.js';

/** The state files in `.arcade/`; the credentials from ARCADE_API_KEY instead while it is set. */
export function fsModule(stateDirPath: string, environmentApiKey: string | null = null): ContainerModule {
  const dir = new StateDir(stateDirPath);
  const file = new FsCredentialsStore(dir);
  return new ContainerModule(({ bind }) => {
    bind(IdentityStore).toConstantValue(new FsIdentityStore(dir));
    bind(CredentialsStore).toConstantValue(
      environmentApiKey === null ? file : new EnvironmentCredentials(file, environmentApiKey),
    );
    bind(SettingsStore).toConstantValue(new FsSettingsStore(dir));
    bind(Outbox).toConstantValue(new FsOutbox(dir));
  });
}
