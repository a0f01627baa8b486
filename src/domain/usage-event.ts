import type { EventContext, ResolvedIdentity } from './identity.js';
import type { Failure } from './errors.js';
import { scrubErrorMessage } from './privacy.js';
import type { RuntimeInfo } from './runtime-info.js';
import { isoTimestamp } from './timestamp.js';

export const EVENT_SUCCEEDED = 'CLI execution succeeded';
export const EVENT_FAILED = 'CLI execution failed';
export const EVENT_ALIAS = '$create_alias';

/** One message as it goes to PostHog. Its uuid and timestamp are fixed once, so a retry is never counted twice. */
export interface OutboundMessage {
  readonly uuid: string;
  readonly event: string;
  readonly distinctId: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** ISO 8601: when the command ran, not when it was delivered. */
  readonly timestamp: string;
}

/** A message exactly as it went to PostHog, as JSON: what the client library sent, its own properties included. */
export type WireMessage = Readonly<Record<string, unknown>>;

/** What one run of one command was. */
export interface CommandRun {
  /** The command path joined by dots: `login`, `usage.status`, `worker.list`. */
  readonly commandName: string;
  readonly exitCode: number;
  /** Why it failed, in words fit for an event (null when it succeeded). */
  readonly failure: Failure | null;
  readonly startedAt: Date;
  readonly monotonicStartMs: number;
  readonly monotonicEndMs: number;
}

export function commandEvent(
  run: CommandRun,
  identity: ResolvedIdentity,
  runtime: RuntimeInfo,
  uuid: string,
  secrets: readonly string[] = [],
  context: EventContext | null = null,
  options: { readonly personProcessing?: boolean } = {},
): OutboundMessage {
  const failed = run.exitCode !== 0;
  const properties: Record<string, unknown> = {
    command_name: run.commandName,
    cli_version: runtime.cliVersion,
    runtime_language: runtime.runtimeLanguage,
    runtime_version: runtime.runtimeVersion,
    os_type: runtime.osType,
    os_release: runtime.osRelease,
    is_ci: runtime.isCi,
    duration_ms: Math.max(0, Math.round(run.monotonicEndMs - run.monotonicStartMs)),
    // Seconds, as the Python Arcade CLI sends them (its `time.monotonic()`, the same machine-wide clock).
    device_start_timestamp: run.monotonicStartMs / 1000,
    device_end_timestamp: run.monotonicEndMs / 1000,
  };
  // As the Python CLI sends them since December 2025: the login's active organization and project.
  if (context) {
    properties.org_id = context.orgId;
    properties.project_id = context.projectId;
  }
  if (failed) {
    const failure: Failure = run.failure ?? { code: 'internal', message: `exit code ${run.exitCode}` };
    properties.error_code = failure.code;
    // The message has placeholders for every outside value already; scrubbing is the second line of defence.
    properties.error_message = scrubErrorMessage(failure.message, runtime.homeDir, secrets);
  }
  // PostHog keeps anonymous users out of its person profiles only when asked to.
  // (Unless an alias of this anonymous id to the account is pending: then the alias merges it in.)
  if (identity.anonymous && !options.personProcessing) properties.$process_person_profile = false;
  return {
    uuid,
    event: failed ? EVENT_FAILED : EVENT_SUCCEEDED,
    distinctId: identity.distinctId,
    properties,
    timestamp: isoTimestamp(run.startedAt),
  };
}

/**
 * Merges the anonymous id into the principal. Never carries `$process_person_profile: false`:
 * PostHog drops alias events that do.
 */
export function aliasMessage(principalId: string, anonId: string, uuid: string, at: Date): OutboundMessage {
  return {
    uuid,
    event: EVENT_ALIAS,
    distinctId: principalId,
    properties: { distinct_id: principalId, alias: anonId },
    timestamp: isoTimestamp(at),
  };
}
