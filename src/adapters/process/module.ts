import { ContainerModule } from 'inversify';
import { BackgroundRunner } from '../../domain/ports/background-runner.js';
import { DetachedDeliveryRunner } from './detached-delivery-runner.js';

export function processModule(entryScript: string, cwd: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(BackgroundRunner).toConstantValue(new DetachedDeliveryRunner(entryScript, cwd));
  });
}
