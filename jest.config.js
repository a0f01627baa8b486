import { availableParallelism } from 'node:os';

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
  // The end-to-end suites run the real CLI many times over; the default 5 s is far too short for them.
  testTimeout: 60_000,
  // One worker per CPU: the end-to-end suites start real processes, and more workers than CPUs
  // only slow each of them down (scripts/test.mjs sizes the stress lane lower still).
  maxWorkers: availableParallelism(),
};
