import { ContainerModule } from 'inversify';
import { PrincipalSource } from '../../domain/ports/principal-source.js';
import { CloudPrincipalSource } from './cloud-principal-source.js';

/** Principal lookups at Arcade Cloud: all the delivery process needs of Arcade's API (apart from the rest, in module.ts). */
export function principalSourceModule(cloudUrl: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(PrincipalSource).toConstantValue(new CloudPrincipalSource(cloudUrl));
  });
}
