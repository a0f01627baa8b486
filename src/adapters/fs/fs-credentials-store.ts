import { closeSync, fchmodSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { AppError, fileErrorReason, ours, path, systemWord, text } from '../../domain/errors.js';
import type { ArcadeContext, CredentialsRead } from '../../domain/principal.js';
import type { CredentialsStore, SessionWrite } from '../../domain/ports/credentials-store.js';
import { keyFingerprint } from '../system/key-fingerprint.js';
import { writeFileAtomic } from './atomic-write.js';
import { withLock } from './file-lock.js';
import { isRecord } from './json-file.js';
import { removeFile } from './file-errors.js';
import { parseSimpleYaml } from './simple-yaml.js';
import type { StateDir } from './state-dir.js';
import { openStateFile } from './state-file.js';

/** A credentials file is a few lines; anything much larger is not one. */
const CREDENTIALS_MAX_BYTES = 64 * 1024;
/** A file changed less than this long ago may be a login still writing it. */
export const CREDENTIALS_SETTLED_MS = 1000;
/** How long a refresh waits for another process's: its token request, bounded at 10 s, and a margin. */
const SESSION_LOCK_WAIT_MS = 15_000;

type DocumentRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'parsed'; readonly document: unknown }
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * `credentials.yaml` as the Python Arcade CLI writes it, in either layout: OAuth (`cloud.auth`,
 * `cloud.coordinator_url`, `cloud.context`, `cloud.user.email`) or an API key (`cloud.api.key`,
 * `cloud.user.email`), mode 0600. The YAML package is loaded only for a file outside the simplest
 * layout (simple-yaml.ts) and to write one. Unknown keys are kept on every rewrite.
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

  async settled(): Promise<boolean> {
    let stats;
    try {
      // Followed through a link, as reading is.
      stats = statSync(this.path, { throwIfNoEntry: false });
    } catch (error) {
      // A path that cannot be looked at is not settled credentials: whoever reads them next says what is wrong.
      if (['EACCES', 'ELOOP', 'ENOTDIR', 'ENAMETOOLONG'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
      throw error;
    }
    // A change time in the future (a wrong clock's) is not settled.
    return stats?.isFile() === true && Date.now() - stats.ctimeMs >= CREDENTIALS_SETTLED_MS;
  }

  async save(apiKey: string, email: string | null): Promise<void> {
    await this.rewrite((cloud) => {
      // The API-key layout alone: a session left beside it would be read first.
      const { auth: _auth, coordinator_url: _coordinator, context: _context, ...rest } = cloud;
      return {
        ...rest,
        api: { ...(isRecord(cloud.api) ? cloud.api : {}), key: apiKey },
        ...(email !== null && { user: { ...(isRecord(cloud.user) ? cloud.user : {}), email } }),
      };
    });
  }

  async saveSession(session: SessionWrite): Promise<void> {
    await this.rewrite((cloud) => withSession(cloud, session));
  }

  async updateSession(decide: (current: CredentialsRead) => Promise<SessionWrite | null>): Promise<CredentialsRead> {
    await this.dir.ensure();
    return withLock(this.path, SESSION_LOCK_WAIT_MS, async () => {
      const write = await decide(await this.load());
      if (write === null) return this.load();
      await this.rewrite((cloud) => withSession(cloud, write));
      return this.load();
    });
  }

  /** Rewrites `cloud` in the file (a broken file is replaced, not merged), keeping every other key. */
  private async rewrite(change: (cloud: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
    await this.dir.ensure();
    const text = this.readText();
    const read = typeof text === 'string' ? await parseDocument(text) : text;
    const document = read.kind === 'parsed' && isRecord(read.document) ? read.document : {};
    document.cloud = change(isRecord(document.cloud) ? document.cloud : {});
    const { stringify } = await import('yaml');
    // Created 0600 and renamed into place: a symbolic link there is replaced, never written through.
    writeFileAtomic(this.path, stringify(document));
  }

  async checkWritable(): Promise<void> {
    const probe = this.dir.file(`.write-check-${process.pid}`);
    try {
      await this.dir.ensure();
      writeFileSync(probe, '', { flag: 'wx', mode: 0o600 });
      unlinkSync(probe);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EEXIST', 'ELOOP'].includes(code)) throw error;
      throw new AppError(
        'file-system',
        text`Cannot save credentials in ${path(this.dir.path)} (${systemWord(code)}: ${ours(fileErrorReason(code))}). Check that directory, or set ARCADE_WORK_DIR.`,
      );
    }
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
      // A part of the path is a file (`.arcade` itself, say): the state directory's fault, not the credentials'.
      if (code === 'ENOTDIR') throw error;
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

/** The OAuth layout with `session` written in, other keys kept (the API key dropped: the session replaces it). */
function withSession(cloud: Record<string, unknown>, session: SessionWrite): Record<string, unknown> {
  const { api: _api, ...rest } = cloud;
  const auth = isRecord(cloud.auth) ? cloud.auth : {};
  const next: Record<string, unknown> = {
    ...rest,
    auth: {
      ...auth,
      access_token: session.accessToken,
      refresh_token: session.refreshToken,
      expires_at: formatLocalDateTime(session.expiresAt),
    },
  };
  if (session.coordinatorUrl !== undefined) next.coordinator_url = session.coordinatorUrl;
  if (session.email !== undefined) next.user = { ...(isRecord(cloud.user) ? cloud.user : {}), email: session.email };
  if (session.context === null) delete next.context;
  else if (session.context !== undefined)
    next.context = {
      ...(isRecord(cloud.context) ? cloud.context : {}),
      org_id: session.context.orgId,
      org_name: session.context.orgName,
      project_id: session.context.projectId,
      project_name: session.context.projectName,
    };
  return next;
}

/** The credentials a parsed document holds, in either layout: OAuth (`cloud.auth`) first, else an API key (`cloud.api.key`). */
function credentialsIn(read: DocumentRead): CredentialsRead {
  if (read.kind !== 'parsed') return read;
  const cloud = isRecord(read.document) && isRecord(read.document.cloud) ? read.document.cloud : null;
  const emailValue = cloud && isRecord(cloud.user) ? cloud.user.email : undefined;
  const email = typeof emailValue === 'string' && emailValue.trim() !== '' ? emailValue.trim() : '(unknown email)';
  const auth = cloud && isRecord(cloud.auth) ? cloud.auth : null;
  if (auth !== null) {
    const accessToken = nonEmpty(auth.access_token);
    const refreshToken = nonEmpty(auth.refresh_token);
    if (accessToken === null || refreshToken === null)
      return { kind: 'unreadable', reason: 'its cloud.auth has no access_token or refresh_token' };
    const coordinatorUrl = nonEmpty(cloud?.coordinator_url);
    return {
      kind: 'found',
      credentials: {
        bearer: accessToken,
        email,
        keyFingerprint: keyFingerprint(`oauth ${coordinatorUrl ?? ''} ${email}`),
        oauth: { accessToken, refreshToken, expiresAt: parseLocalDateTime(auth.expires_at), coordinatorUrl },
        context: contextIn(cloud?.context),
        source: 'file',
      },
    };
  }
  const key = cloud && isRecord(cloud.api) ? nonEmpty(cloud.api.key) : null;
  if (key === null) return { kind: 'unreadable', reason: 'it has neither cloud.auth (a login) nor cloud.api.key (an API key)' };
  return {
    kind: 'found',
    credentials: { bearer: key, email, keyFingerprint: keyFingerprint(key), oauth: null, context: null, source: 'file' },
  };
}

/** A non-empty string, trimmed; null for anything else. */
function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** `cloud.context`, when all four of its fields are there. */
function contextIn(value: unknown): ArcadeContext | null {
  if (!isRecord(value)) return null;
  const [orgId, orgName, projectId, projectName] = [value.org_id, value.org_name, value.project_id, value.project_name].map(
    nonEmpty,
  );
  if (orgId === null || projectId === null) return null;
  return { orgId, orgName: orgName ?? orgId, projectId, projectName: projectName ?? projectId };
}

/**
 * `expires_at` as the Python CLI writes it: an ISO date-time without a zone, in local time
 * (`datetime.now()`), with `T` or a space and up to microseconds; one with a zone is read as such.
 * Null for anything else (then the token counts as expiring: it is refreshed before use).
 */
export function parseLocalDateTime(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    value.trim(),
  );
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone] = match;
  const ms = Math.floor(Number(`0.${fraction}`) * 1000);
  // A field out of its range (month 13, hour 99) is no date: Date would roll it over into another.
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  if (
    probe.getUTCMonth() !== Number(month) - 1 ||
    probe.getUTCDate() !== Number(day) ||
    probe.getUTCHours() !== Number(hour) ||
    probe.getUTCMinutes() !== Number(minute) ||
    probe.getUTCSeconds() !== Number(second)
  )
    return null;
  if (zone !== undefined) {
    const date = new Date(
      `${year}-${month}-${day}T${hour}:${minute}:${second.padStart(2, '0')}.${String(ms).padStart(3, '0')}${zone}`,
    );
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const date = new Date(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date as the Python CLI writes `expires_at`: local time, no zone, microseconds (`datetime.now().isoformat()`). */
export function formatLocalDateTime(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds() * 1000, 6)}`
  );
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
