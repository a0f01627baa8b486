/**
 * Where Node (22.1 and later) keeps the compiled code of `arcade`'s bundles between runs: its own
 * compile cache, which it keys by Node's version and checks against each file, in the user's cache
 * directory (never beside the installed files, which may be read-only or shared between users).
 * A cache made by another version is Node's to ignore; one that cannot be written costs only the
 * compile it would have saved. Older Nodes use the V8 cache the build shipped (bundle-loader.ts).
 */
import Module from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The user's cache directory for arcade, per platform convention (XDG on Linux). */
export function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'arcade', 'Cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'arcade');
  // XDG: a relative XDG_CACHE_HOME is invalid and ignored.
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'arcade');
}

/**
 * Turns Node's compile cache on for this process, where Node has one. True when it has (whether
 * or not the directory could be used): the bundles are then loaded with `require`.
 */
export function useNodeCompileCache(env: NodeJS.ProcessEnv): boolean {
  const enable = (Module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return false;
  enable(join(userCacheDir(env), 'compile-cache'));
  return true;
}
