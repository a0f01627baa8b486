/** Jest runs the TypeScript sources through swc as native ESM (see TOOLCHAIN.md). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  // A wrong exit code in an integration test shows the CLI's output.
  setupFilesAfterEnv: ['<rootDir>/tests/support/matchers.ts'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // Integration tests run the real CLI many times over; the default 5 s is far too short for them.
  testTimeout: 60_000,
  // Three at once on two cores: integration tests mostly wait on the CLI's real timers (lingers,
  // backoffs, hard limits), and the bundled CLI starts at half the CPU the unbundled one took. Four
  // overloaded the machine (load 7.5) and failed timing-bound tests in a clean clone.
  maxWorkers: 3,
};
