#!/usr/bin/env node
/**
 * The `arcade` executable (`dist/arcade.cjs`). `--version` answers from a constant the bundler
 * wrote in, loading nothing. Everything else runs one of two bundles beside this file:
 * `deliver.cjs` for the background delivery, `cli.cjs` for a command, compiled with a cache: Node's
 * own, per version, where it has one (compile-cache.ts), else the one the build shipped
 * (bundle-loader.ts). With ARCADE_DEBUG=1 the bundle is loaded by Node's own `require`, with
 * source maps on, so stacks point at `src/`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DELIVERY_ARGUMENT } from '../adapters/process/delivery-argument.js';
import { loadBundle, type Bundle } from './bundle-loader.js';
import { useNodeCompileCache } from './compile-cache.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${ARCADE_VERSION}\n`);
} else {
  const path = join(__dirname, argv[0] === DELIVERY_ARGUMENT ? 'deliver.cjs' : 'cli.cjs');
  let bundle: Bundle;
  if (/^(1|true)$/i.test(process.env.ARCADE_DEBUG?.trim() ?? '')) {
    process.setSourceMapsEnabled(true);
    bundle = createRequire(__filename)(path) as Bundle;
  } else if (useNodeCompileCache(process.env)) {
    bundle = createRequire(__filename)(path) as Bundle;
  } else {
    bundle = loadBundle(path) as Bundle;
  }
  void bundle.main(argv, __filename);
}
