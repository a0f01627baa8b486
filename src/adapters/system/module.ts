import { ContainerModule } from 'inversify';
import { Clock } from '../../domain/ports/clock.js';
import { IdSource } from '../../domain/ports/id-source.js';
import { RandomIdSource } from './random-id-source.js';
import { SystemClock } from './system-clock.js';

/** The real clock and randomness. */
export function systemModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Clock).toConstantValue(new SystemClock());
    bind(IdSource).toConstantValue(new RandomIdSource());
  });
}
