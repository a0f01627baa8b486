/** Randomness a failing test can repeat: a small seeded generator (mulberry32); the seed comes from TEST_SEED or the clock. */
export interface SeededRandom {
  readonly seed: number;
  /** A number in [0, 1). */
  next(): number;
}

export function seededRandom(seed = Number(process.env.TEST_SEED ?? Date.now() % 2 ** 31)): SeededRandom {
  let state = seed >>> 0;
  return {
    seed,
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Runs `body`; a failure is rethrown with the seed to repeat it (`TEST_SEED=<seed> npm test`). */
export async function withSeed<T>(random: SeededRandom, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error) error.message = `[TEST_SEED=${random.seed}] ${error.message}`;
    throw error;
  }
}
