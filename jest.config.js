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
  // Four at once on two cores: integration tests mostly wait on the CLI's real timers (lingers,
  // backoffs, hard limits). Four overloaded the machine (load 7.5) while a delivery process cost
  // ~240 ms of CPU; over node:http it costs ~90 ms, and four workers run the suite in ~66 s
  // against ~73 s for three.
  maxWorkers: 4,
};
