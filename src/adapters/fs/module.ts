import { ContainerModule } from 'inversify';
import { CredentialsStore } from '../../domain/ports/credentials-store.js';
import { IdentityStore } from '../../domain/ports/identity-store.js';
import { Outbox } from '../../domain/ports/outbox.js';
import { SettingsStore } from '../../domain/ports/settings-store.js';
import { FsCredentialsStore } from './fs-credentials-store.js';
import { FsIdentityStore } from './fs-identity-store.js';
import { FsOutbox } from './fs-outbox.js';
import { FsSettingsStore } from './fs-settings-store.js';
import { StateDir } from './state-dir.js';

/** The state files in `.arcade/`. */
export function fsModule(stateDirPath: string): ContainerModule {
  const dir = new StateDir(stateDirPath);
  return new ContainerModule(({ bind }) => {
    bind(IdentityStore).toConstantValue(new FsIdentityStore(dir));
    bind(CredentialsStore).toConstantValue(new FsCredentialsStore(dir));
    bind(SettingsStore).toConstantValue(new FsSettingsStore(dir));
    bind(Outbox).toConstantValue(new FsOutbox(dir));
  });
}
