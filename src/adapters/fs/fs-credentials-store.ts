import { chmod, open, readFile, unlink } from 'node:fs/promises';
import type { CredentialsRead } from '../../domain/principal.js';
import type { CredentialsStore } from '../../domain/ports/credentials-store.js';
import { keyFingerprint } from '../system/key-fingerprint.js';
import { writeFileAtomic } from './atomic-write.js';
import { isRecord } from './json-file.js';
import type { StateDir } from './state-dir.js';

/**
 * `credentials.yaml` as the Python Arcade CLI writes it (`cloud.api.key`, `cloud.user.email`),
 * mode 0600. The YAML parser is loaded only when the file exists. Other sections are kept on save.
 */
export class FsCredentialsStore implements CredentialsStore {
  private readonly path: string;
  private cached: Promise<CredentialsRead> | null = null;

  constructor(private readonly dir: StateDir) {
    this.path = dir.file('credentials.yaml');
  }

  load(): Promise<CredentialsRead> {
    this.cached ??= this.readFromDisk();
    return this.cached;
  }

  async save(apiKey: string, email: string): Promise<void> {
    await this.dir.ensure();
    const existing = await readFile(this.path, 'utf8')
      .then(parseYaml, () => null)
      .catch(() => null); // a missing or broken file is replaced, not merged
    const document = isRecord(existing) ? existing : {};
    const cloud = isRecord(document.cloud) ? document.cloud : {};
    document.cloud = {
      ...cloud,
      api: { ...(isRecord(cloud.api) ? cloud.api : {}), key: apiKey },
      user: { ...(isRecord(cloud.user) ? cloud.user : {}), email },
    };
    const { stringify } = await import('yaml');
    await writeFileAtomic(this.path, stringify(document), 0o600);
    if (process.platform !== 'win32') await chmod(this.path, 0o600);
    this.cached = null;
  }

  async remove(): Promise<boolean> {
    this.cached = null;
    try {
      await unlink(this.path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  describeLocation(): string {
    return this.path;
  }

  private async readFromDisk(): Promise<CredentialsRead> {
    let text: string;
    try {
      text = await readPrivateFile(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'none' };
      return { kind: 'unreadable', reason: code === 'EACCES' ? 'permission denied' : `cannot read it (${code ?? 'error'})` };
    }
    let document: unknown;
    try {
      document = await parseYaml(text);
    } catch (error) {
      // The parser's own message quotes the file, key included: say only where it broke.
      const line = (error as { linePos?: [{ line: number }] }).linePos?.[0]?.line;
      return { kind: 'unreadable', reason: `it is not valid YAML${line ? ` (line ${line})` : ''}` };
    }
    const cloud = isRecord(document) && isRecord(document.cloud) ? document.cloud : null;
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
}

/** Reads the file, first tightening it to 0600 if someone left it readable by others. */
async function readPrivateFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    if (process.platform !== 'win32' && ((await handle.stat()).mode & 0o077) !== 0) {
      await handle.chmod(0o600).catch(() => undefined); // not ours to change (another owner): still readable, so still usable
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function parseYaml(text: string): Promise<unknown> {
  const { parse } = await import('yaml');
  return parse(text);
}
