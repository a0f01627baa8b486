import { closeSync, fchmodSync, readFileSync, statSync } from 'node:fs';
import type { CredentialsRead } from '../../domain/principal.js';
import type { CredentialsStore } from '../../domain/ports/credentials-store.js';
import { keyFingerprint } from '../system/key-fingerprint.js';
import { writeFileAtomic } from './atomic-write.js';
import { isRecord } from './json-file.js';
import { removeFile } from './file-errors.js';
import { parseSimpleYaml } from './simple-yaml.js';
import type { StateDir } from './state-dir.js';
import { openStateFile, fileErrorReason } from './state-file.js';

/** A credentials file is a few lines; anything much larger is not one. */
const CREDENTIALS_MAX_BYTES = 64 * 1024;
/**
 * A file changed less than this long ago gets no signature: the kernel stamps file times from a
 * coarse clock, so a second change within the same tick (same file, same size) would look the same.
 */
export const CREDENTIALS_SETTLED_MS = 1000;

type DocumentRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'parsed'; readonly document: unknown }
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * `credentials.yaml` as the Python Arcade CLI writes it (`cloud.api.key`, `cloud.user.email`),
 * mode 0600. The YAML package is loaded only for a file outside the usual layout (simple-yaml.ts) and to
 * write one. Other sections are kept on save.
 */
export class FsCredentialsStore implements CredentialsStore {
  private readonly path: string;
  private lastLoad: { readonly text: string; readonly read: CredentialsRead } | null = null;

  constructor(private readonly dir: StateDir) {
    this.path = dir.file('credentials.yaml');
  }

  async load(): Promise<CredentialsRead> {
    const text = this.readText();
    if (typeof text !== 'string') return text;
    // A tracked command reads the file as it starts and again as it ends: the same text is parsed (and hashed) once.
    if (this.lastLoad?.text !== text) this.lastLoad = { text, read: credentialsIn(await parseDocument(text)) };
    return this.lastLoad.read;
  }

  async signature(): Promise<string | null> {
    let stats;
    try {
      // Followed through a link, as reading is.
      stats = statSync(this.path, { throwIfNoEntry: false });
    } catch (error) {
      // A path that cannot be looked at gets no signature: the read that follows says what is wrong.
      if (['EACCES', 'ELOOP', 'ENOTDIR', 'ENAMETOOLONG'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
      throw error;
    }
    if (!stats?.isFile()) return null;
    // (A change time in the future, a wrong clock's, gets none either.) Times in milliseconds, to a
    // fraction of a microsecond: changes a second apart differ by far more. (Not the exact `bigint`
    // times: those cost a tracked run 0.04 ms more.)
    if (!(Date.now() - stats.ctimeMs >= CREDENTIALS_SETTLED_MS)) return null;
    return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
  }

  async save(apiKey: string, email: string): Promise<void> {
    await this.dir.ensure();
    // A broken file is replaced, not merged.
    const text = this.readText();
    const read = typeof text === 'string' ? await parseDocument(text) : text;
    const document = read.kind === 'parsed' && isRecord(read.document) ? read.document : {};
    const cloud = isRecord(document.cloud) ? document.cloud : {};
    document.cloud = {
      ...cloud,
      api: { ...(isRecord(cloud.api) ? cloud.api : {}), key: apiKey },
      user: { ...(isRecord(cloud.user) ? cloud.user : {}), email },
    };
    const { stringify } = await import('yaml');
    // Created 0600 and renamed into place: a symbolic link there is replaced, never written through.
    writeFileAtomic(this.path, stringify(document));
  }

  async remove(): Promise<boolean> {
    return removeFile(this.path);
  }

  describeLocation(): string {
    return this.path;
  }

  /** The file's text, or why there is none to read. */
  private readText(): string | { readonly kind: 'none' } | { readonly kind: 'unreadable'; readonly reason: string } {
    try {
      return readPrivateFile(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'none' };
      return { kind: 'unreadable', reason: fileErrorReason(code) };
    }
  }
}

async function parseDocument(text: string): Promise<DocumentRead> {
  // The usual layout needs no YAML package; anything else is parsed by it.
  const simple = parseSimpleYaml(text);
  if (simple !== undefined) return { kind: 'parsed', document: simple };
  try {
    const { parse } = await import('yaml');
    return { kind: 'parsed', document: parse(text) as unknown };
  } catch (error) {
    // The parser's own message quotes the file, key included: say only where it broke.
    const line = (error as { linePos?: [{ line: number }] }).linePos?.[0]?.line;
    return { kind: 'unreadable', reason: `it is not valid YAML${line ? ` (line ${line})` : ''}` };
  }
}

/** The credentials a parsed document holds: `cloud.api.key` (required) and `cloud.user.email`. */
function credentialsIn(read: DocumentRead): CredentialsRead {
  if (read.kind !== 'parsed') return read;
  const cloud = isRecord(read.document) && isRecord(read.document.cloud) ? read.document.cloud : null;
  const key = cloud && isRecord(cloud.api) ? cloud.api.key : undefined;
  const email = cloud && isRecord(cloud.user) ? cloud.user.email : undefined;
  if (typeof key !== 'string' || key.trim() === '') return { kind: 'unreadable', reason: 'it has no cloud.api.key' };
  return {
    kind: 'found',
    credentials: {
      apiKey: key.trim(),
      email: typeof email === 'string' ? email : '(unknown email)',
      keyFingerprint: keyFingerprint(key.trim()),
    },
  };
}

/**
 * Reads the file, first tightening it to 0600 if someone left it readable by others. The mode is
 * changed on the open descriptor of the file itself, never through a symbolic link: a linked
 * credentials file (say, from a secrets manager) is read through the link and left as it is.
 */
function readPrivateFile(path: string): string {
  const { fd, stats, viaLink } = openStateFile(path, { maxBytes: CREDENTIALS_MAX_BYTES, followLink: true });
  try {
    if (!viaLink && process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      try {
        fchmodSync(fd, 0o600);
      } catch (error) {
        // Another owner's file is not ours to change; it is still readable, so still usable.
        if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
      }
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
