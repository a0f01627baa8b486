import { UsageError } from 'clipanion';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Environment } from '../domain/tracking-decision.js';

/**
 * The PostHog project key used when ARCADE_POSTHOG_KEY is not set at run time: the one
 * ARCADE_POSTHOG_KEY held when this CLI was built (scripts/build.mjs), or none. With none, nothing
 * is tracked (there is no placeholder a PostHog could refuse, or another product's project take).
 */
export const BUILD_POSTHOG_KEY: string | null =
  (typeof ARCADE_BUILD_POSTHOG_KEY === 'string' ? ARCADE_BUILD_POSTHOG_KEY.trim() : '') || null;
export const DEFAULT_CLOUD_URL = 'https://cloud.arcade.dev';
export const DEFAULT_ENGINE_URL = 'https://api.arcade.dev';
export const DEFAULT_POSTHOG_HOST = 'https://us.i.posthog.com';

/** Everything the environment decides, read once at start-up. */
export interface CliConfig {
  readonly env: Environment;
  readonly homeDir: string;
  /** `$ARCADE_WORK_DIR/.arcade`, else `~/.arcade`; absolute (a relative value is resolved against the current directory, once). */
  readonly stateDir: string;
  readonly cloudUrl: string;
  readonly engineUrl: string;
  readonly posthogHost: string;
  /** The PostHog project key, or null: this build has none and none is set. */
  readonly posthogKey: string | null;
  /** ARCADE_API_KEY: an API key used instead of credentials.yaml, or null. */
  readonly apiKey: string | null;
  /** ARCADE_DEBUG=1: an unexpected error prints its stack, and tracking failures are reported. (ARCADE_USAGE_DEBUG is part of the tracking decision.) */
  readonly debug: boolean;
}

export function readConfig(env: Environment): CliConfig {
  const homeDir = homedir();
  const value = (name: string) => env[name]?.trim() || undefined;
  return {
    env,
    homeDir,
    stateDir: resolve(value('ARCADE_WORK_DIR') ?? homeDir, '.arcade'),
    cloudUrl: value('ARCADE_CLOUD_URL') ?? DEFAULT_CLOUD_URL,
    engineUrl: value('ARCADE_ENGINE_URL') ?? DEFAULT_ENGINE_URL,
    posthogHost: value('ARCADE_POSTHOG_HOST') ?? DEFAULT_POSTHOG_HOST,
    posthogKey: value('ARCADE_POSTHOG_KEY') ?? BUILD_POSTHOG_KEY,
    apiKey: value('ARCADE_API_KEY') ?? null,
    debug: ['1', 'true'].includes(value('ARCADE_DEBUG')?.toLowerCase() ?? ''),
  };
}

/** A path for people to read: the home directory as `~`. */
export function displayPath(path: string, homeDir: string): string {
  return homeDir.length > 1 && (path === homeDir || path.startsWith(`${homeDir}/`)) ? `~${path.slice(homeDir.length)}` : path;
}

/** `value` when it is an http(s) URL; otherwise a usage error (exit 2) naming the flag or variable it came from. */
export function checkedUrl(value: string, setting: string): string {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || !['http:', 'https:'].includes(url.protocol) || url.hostname === '')
    throw new UsageError(`${setting} is not an http(s) URL: "${value}".`);
  return value;
}
