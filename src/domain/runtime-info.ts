/** Facts about the running CLI and machine that go on every event. */
export interface RuntimeInfo {
  readonly cliVersion: string;
  readonly runtimeLanguage: string;
  readonly runtimeVersion: string;
  readonly osType: string;
  readonly osRelease: string;
  readonly isCi: boolean;
  /** The user's home directory, so messages can show it as `~` and never leak it. */
  readonly homeDir: string;
}
