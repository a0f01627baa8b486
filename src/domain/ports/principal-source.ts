/** Arcade Cloud's answer to "whose key is this?". */
export abstract class PrincipalSource {
  /** The principal id for the API key (asking `cloudUrl`, else the configured Cloud), or null on any failure; bounded at about 2 s, never throws. */
  abstract lookup(apiKey: string, cloudUrl?: string): Promise<string | null>;
}
