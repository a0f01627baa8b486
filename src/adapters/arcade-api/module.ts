import { ContainerModule } from 'inversify';
import { BrowserLogin } from '../../domain/ports/browser-login.js';
import { PrincipalSource } from '../../domain/ports/principal-source.js';
import type { Environment } from '../../domain/tracking-decision.js';
import { CloudBrowserLogin } from './browser-login.js';
import { CloudPrincipalSource } from './cloud-principal-source.js';

/** Arcade Cloud: principal lookups and the browser login. */
export function arcadeApiModule(cloudUrl: string, env: Environment): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(PrincipalSource).toConstantValue(new CloudPrincipalSource(cloudUrl));
    bind(BrowserLogin).toConstantValue(new CloudBrowserLogin(cloudUrl, env));
  });
}
