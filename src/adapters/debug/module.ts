import { ContainerModule } from 'inversify';
import { DebugOutput } from '../../domain/ports/debug-output.js';
import { StderrDebugOutput } from './stderr-debug-output.js';

/** Where debug mode's output goes: stderr. */
export function debugModule(stderr: NodeJS.WritableStream): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(DebugOutput).toConstantValue(new StderrDebugOutput(stderr));
  });
}
