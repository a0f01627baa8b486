/** The application wired by the real composition root over in-memory adapters. */
import type { Failure } from '../../src/domain/errors.js';
import { MemoryWorld } from '../../src/adapters/memory/module.js';
import { buildUseCases } from '../../src/cli/composition-root.js';
import { DELIVERY_USE_CASES } from '../../src/cli/delivery-use-cases.js';
import { USE_CASES } from '../../src/cli/use-cases.js';
import type { Built } from '../../src/cli/wiring.js';
import { AuthorizeArcade } from '../../src/application/authorize-arcade.js';
import { DeliverEvents } from '../../src/application/deliver-events.js';
import { LinkPendingLogin } from '../../src/application/link-pending-login.js';
import type { RuntimeInfo } from '../../src/domain/runtime-info.js';
import type { Environment } from '../../src/domain/tracking-decision.js';
import type { CommandRun } from '../../src/domain/usage-event.js';
import type { TrackOutcome } from '../../src/application/track-command.js';

export const RUNTIME: RuntimeInfo = {
  cliVersion: '0.1.0',
  runtimeLanguage: 'node',
  runtimeVersion: '20.20.2',
  osType: 'Linux',
  osRelease: '6.1.0',
  isCi: false,
  homeDir: '/home/ann',
};

/** What the unit tests drive: the commands' use cases, the delivery's, and the ones beneath them that tests reach directly. */
export const TESTED_USE_CASES = {
  ...USE_CASES,
  ...DELIVERY_USE_CASES,
  deliverEvents: DeliverEvents,
  linkPendingLogin: LinkPendingLogin,
  authorizeArcade: AuthorizeArcade,
};

export interface MemoryApp {
  readonly world: MemoryWorld;
  readonly app: Built<typeof TESTED_USE_CASES>;
}

export function memoryApp(env: Environment = {}, runtime: RuntimeInfo = RUNTIME): MemoryApp {
  const world = new MemoryWorld();
  const values = { env, runtime, stateDir: '/home/ann/.arcade', cloudUrl: 'https://cloud.arcade.dev' };
  const { useCases } = buildUseCases(TESTED_USE_CASES, values, [world.module()]);
  return { world, app: useCases };
}

export function commandRun(
  world: MemoryWorld,
  commandName: string,
  exitCode = 0,
  failure: Failure | null = exitCode === 0 ? null : { code: 'internal', message: 'Error' },
): CommandRun {
  return {
    commandName,
    exitCode,
    failure,
    startedAt: world.clock.now(),
    monotonicStartMs: world.clock.monotonicMs(),
    monotonicEndMs: world.clock.monotonicMs() + 12,
  };
}

/** Records a run that changed nothing of the credentials (tracking starts and ends around it). */
export async function record(memory: MemoryApp, run: CommandRun): Promise<TrackOutcome> {
  return memory.app.trackCommand.execute(await memory.app.trackCommand.start(false), run);
}

/** One tracked run as the CLI makes it: tracking starts, the command does `work`, then the run is recorded (login and logout read the credentials as they start). */
export async function tracked(
  memory: MemoryApp,
  commandName: string,
  exitCode = 0,
  work: () => Promise<unknown> = async () => undefined,
): Promise<TrackOutcome> {
  const start = await memory.app.trackCommand.start(['login', 'logout'].includes(commandName));
  await work();
  return memory.app.trackCommand.execute(start, commandRun(memory.world, commandName, exitCode));
}

export const ALICE = { apiKey: 'arc_alice_key_0123456789', email: 'alice@example.com', principalId: 'principal-alice' };
export const BOB = { apiKey: 'arc_bob_key_9876543210', email: 'bob@example.com', principalId: 'principal-bob' };

/** Registers both accounts with the in-memory Cloud. */
export function withAccounts(world: MemoryWorld): void {
  world.principals.principals.set(ALICE.apiKey, ALICE.principalId);
  world.principals.principals.set(BOB.apiKey, BOB.principalId);
}
