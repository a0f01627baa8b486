/** Constants the bundler writes into the built CLI (see scripts/build.mjs). */
declare const ARCADE_VERSION: string;
/** ARCADE_POSTHOG_KEY as it was when the CLI was built ('' for none); undeclared outside a build (tests run the sources). */
declare const ARCADE_BUILD_POSTHOG_KEY: string | undefined;
