/** Whether this run may track usage, and why: a pure function of the environment and the saved choice. */

export type SettingsRead =
  | { readonly kind: 'unset' }
  /** `disabledAt`: when `arcade usage disable` last ran here (kept through a later enable). */
  | { readonly kind: 'chosen'; readonly tracking: 'enabled' | 'disabled'; readonly disabledAt?: string | null }
  | { readonly kind: 'unreadable'; readonly reason: string };

export type DecisionReason =
  | 'default'
  | 'env-enabled'
  | 'env-disabled'
  | 'env-unrecognized'
  | 'do-not-track'
  | 'settings-enabled'
  | 'settings-disabled'
  | 'settings-unreadable'
  | 'no-project-key';

export interface TrackingDecision {
  readonly enabled: boolean;
  readonly reason: DecisionReason;
  /** A sentence for `usage status`. */
  readonly explanation: string;
  /** ARCADE_USAGE_DEBUG=1: print events instead of sending them. */
  readonly debug: boolean;
  /**
   * The last `arcade usage disable`: a message stamped before it is never sent, whatever is enabled
   * now (a command that decided before the disable, or was killed before it could take its event back).
   */
  readonly discardBefore: string | null;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off'];

function normalized(value: string | undefined): string | undefined {
  const text = value?.trim().toLowerCase();
  return text ? text : undefined;
}

/**
 * With no PostHog project key (in the build or the environment) nothing can be tracked. Otherwise
 * ARCADE_USAGE_TRACKING wins (an unrecognised value disables: a user who typed something meant
 * something); then DO_NOT_TRACK (any value but 0/false/no/off); then the saved choice (unreadable
 * means disabled: fail closed); else enabled.
 */
export function decideTracking(env: Environment, settings: SettingsRead, hasProjectKey = true): TrackingDecision {
  const debug = normalized(env.ARCADE_USAGE_DEBUG) === '1' || normalized(env.ARCADE_USAGE_DEBUG) === 'true';
  const decision = (enabled: boolean, reason: DecisionReason, explanation: string): TrackingDecision => ({
    enabled,
    reason,
    explanation,
    debug: enabled && debug,
    discardBefore: settings.kind === 'chosen' ? (settings.disabledAt ?? null) : null,
  });

  if (!hasProjectKey)
    return decision(false, 'no-project-key', 'disabled: this build has no PostHog project key (ARCADE_POSTHOG_KEY sets one)');
  const explicit = normalized(env.ARCADE_USAGE_TRACKING);
  if (explicit !== undefined) {
    if (ON.includes(explicit))
      return decision(true, 'env-enabled', `enabled by ARCADE_USAGE_TRACKING=${env.ARCADE_USAGE_TRACKING}`);
    if (OFF.includes(explicit))
      return decision(false, 'env-disabled', `disabled by ARCADE_USAGE_TRACKING=${env.ARCADE_USAGE_TRACKING}`);
    return decision(false, 'env-unrecognized', `disabled: ARCADE_USAGE_TRACKING has an unrecognized value (use 1 or 0)`);
  }
  const doNotTrack = normalized(env.DO_NOT_TRACK);
  if (doNotTrack !== undefined && !OFF.includes(doNotTrack)) {
    return decision(false, 'do-not-track', `disabled by DO_NOT_TRACK=${env.DO_NOT_TRACK}`);
  }
  switch (settings.kind) {
    case 'chosen':
      return settings.tracking === 'enabled'
        ? decision(true, 'settings-enabled', 'enabled by `arcade usage enable`')
        : decision(false, 'settings-disabled', 'disabled by `arcade usage disable`');
    case 'unreadable':
      return decision(false, 'settings-unreadable', `disabled because the saved setting could not be read (${settings.reason})`);
    case 'unset':
      return decision(true, 'default', 'enabled (default)');
  }
}

/**
 * Whether the Python Arcade CLI on the same machine still tracks while this one does not: it honours
 * only ARCADE_USAGE_TRACKING set to 0/false/no/off, never DO_NOT_TRACK or `arcade usage disable`.
 */
export function pythonCliStillTracks(decision: TrackingDecision): boolean {
  return !decision.enabled && decision.reason !== 'env-disabled';
}

/** What to tell a user whose opt-out the Python Arcade CLI does not see. */
export const PYTHON_CLI_NOTE =
  'Note: the Python Arcade CLI on this machine honours only ARCADE_USAGE_TRACKING=0 (not DO_NOT_TRACK or `arcade usage disable`); set it too to silence both.';
