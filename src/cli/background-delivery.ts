/** The detached background delivery over the use cases the composition root builds. */
import { removeDeadTempFiles } from '../adapters/fs/atomic-write.js';
import { BURST_SPACING_MS, DELIVERY_LINGER_MS, FLUSHER_HARD_LIMIT_MS } from '../domain/delivery-policy.js';
import { buildUseCases, realModules } from './composition-root.js';
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
  const { useCases } = buildUseCases(realModules(config, version, entryScript, process.stderr));
  removeDeadTempFiles(config.stateDir);
  await useCases.deliverEvents.execute({
    budgetMs: FLUSHER_HARD_LIMIT_MS - (Date.now() - startedAt),
    pacing: { lingerMs: DELIVERY_LINGER_MS, burstSpacingMs: BURST_SPACING_MS, continuesBurst },
    handOver: true,
    waitOutBackoff: true,
    reserved: true,
    // A login whose principal a command left unknown is linked before each request, so its alias goes out ahead of later events.
    beforeRequest: () => useCases.linkPendingLogin.execute(),
  });
}
