/** Tokens the Coordinator issued. */
export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
}

/** Arcade's Coordinator: the OAuth side of Arcade Cloud (same base URL). Failures to reach it are AppErrors. */
export abstract class Coordinator {
  /**
   * Exchanges a refresh token for new tokens at the token endpoint `cli_config` names (the
   * refresh token may come back rotated; the old one is then dead). 'refused': the Coordinator
   * turned the refresh token down, so the login is over.
   */
  abstract refresh(coordinatorUrl: string, refreshToken: string): Promise<IssuedTokens | 'refused'>;
}
