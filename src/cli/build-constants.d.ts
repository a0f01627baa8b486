/** Constants the bundler writes into the built CLI (see scripts/build.mjs). */
declare const ARCADE_VERSION: string;
