import { AppError, id, path, text, value } from '../domain/errors.js';
import type { Credentials, CredentialsRead } from '../domain/principal.js';
import type { CredentialsStore } from '../domain/ports/credentials-store.js';
import type { ApiTarget } from '../domain/ports/engine-workers.js';

/** Where the Engine and the Cloud are, as the command line or the environment said. */
export interface ApiTargets {
  readonly engine: ApiTarget;
  readonly cloud: ApiTarget;
}

/** The saved credentials; not logged in, or unreadable credentials, are errors that say what to do. */
export async function requireCredentials(store: CredentialsStore): Promise<Credentials> {
  return credentialsFrom(await store.load(), store);
}

/** The credentials a read found, or the error that says what to do. */
export function credentialsFrom(read: CredentialsRead, store: CredentialsStore): Credentials {
  switch (read.kind) {
    case 'found':
      return read.credentials;
    case 'none':
      throw new AppError('not-logged-in', text`Not logged in. Run \`arcade login\` first.`);
    case 'unreadable':
      throw new AppError(
        'bad-credentials',
        text`Cannot read ${path(store.describeLocation())}: ${value(read.reason)}. Run \`arcade logout\` and \`arcade login\` again.`,
      );
  }
}

export function workerNotFound(workerId: string): AppError {
  return new AppError('not-found', text`Server "${id(workerId)}" not found.`);
}
