/** The detached background delivery over the use cases the composition root builds. */
import { removeDeadTempFiles } from '../adapters/fs/atomic-write.js';
import { FLUSHER_HARD_LIMIT_MS } from '../domain/delivery-policy.js';
import { buildUseCases, deliveryAdapters, providedValues } from './composition-root.js';
import { DELIVERY_USE_CASES } from './delivery-use-cases.js';
import type { CliConfig } from './config.js';

/** The detached delivery process: deliver within the hard limit, print nothing, always exit. */
export async function runBackgroundDelivery(
  config: CliConfig,
  version: string,
  entryScript: string,
  continuesBurst: boolean,
): Promise<void> {
  const startedAt = Date.now();
  setTimeout(() => process.exit(0), FLUSHER_HARD_LIMIT_MS + 500).unref();
  const { useCases } = buildUseCases(DELIVERY_USE_CASES, providedValues(config, version), deliveryAdapters(config, entryScript));
  removeDeadTempFiles(config.stateDir);
  await useCases.deliverInBackground.execute(Date.now() - startedAt, continuesBurst);
}
