import { ContainerModule } from 'inversify';
import { BackgroundRunner } from '../../domain/ports/background-runner.js';
import { FsDeliveryStart } from '../fs/delivery-start.js';
import { StateDir } from '../fs/state-dir.js';
import { DetachedDeliveryRunner } from './detached-delivery-runner.js';

/** The delivery process, started from `entryScript` in the state directory (which holds its reservation). */
export function processModule(entryScript: string, stateDir: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(BackgroundRunner).toConstantValue(
      new DetachedDeliveryRunner(entryScript, stateDir, new FsDeliveryStart(new StateDir(stateDir))),
    );
  });
}
