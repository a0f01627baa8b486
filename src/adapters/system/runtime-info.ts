import { release, type } from 'node:os';
import type { RuntimeInfo } from '../../domain/runtime-info.js';
import type { Environment } from '../../domain/tracking-decision.js';

/** Variables set by the common CI services (and the generic `CI`). */
const CI_VARIABLES = [
  'CI',
  'CONTINUOUS_INTEGRATION',
  'BUILD_NUMBER',
  'RUN_ID',
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'CIRCLECI',
  'TRAVIS',
  'BUILDKITE',
  'JENKINS_URL',
  'TEAMCITY_VERSION',
  'TF_BUILD',
  'CODEBUILD_BUILD_ID',
  'BITBUCKET_BUILD_NUMBER',
  'DRONE',
];

export function isCi(env: Environment): boolean {
  return CI_VARIABLES.some((name) => {
    const value = env[name]?.trim().toLowerCase();
    return value !== undefined && value !== '' && value !== '0' && value !== 'false';
  });
}

export function runtimeInfo(cliVersion: string, env: Environment, homeDir: string): RuntimeInfo {
  return {
    cliVersion,
    runtimeLanguage: 'node',
    runtimeVersion: process.versions.node,
    // As Python's platform.system() names it, so both CLIs' events agree: `Windows`, not Node's `Windows_NT`.
    osType: type() === 'Windows_NT' ? 'Windows' : type(),
    osRelease: release(),
    isCi: isCi(env),
    homeDir,
  };
}
