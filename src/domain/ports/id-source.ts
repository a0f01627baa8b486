/** Identifiers, injected so tests can fix them. */
export abstract class IdSource {
  /** A new anonymous id (`anon_id`): a random UUID v4, from the system's secure random source. */
  abstract anonymousId(): string;
  /**
   * A message's `uuid`, PostHog's key for counting it once: a UUID v7 (the time it was made, then
   * random bits), as PostHog's own SDKs make them. It needs to be unique, not secret.
   */
  abstract messageId(): string;
}
