import { AppError } from '../domain/errors.js';
import type { CredentialsStore } from '../domain/ports/credentials-store.js';

/** The email of the logged-in account; not logged in or unreadable credentials are errors the user can act on. */
export class Whoami {
  constructor(private readonly credentials: CredentialsStore) {}

  async execute(): Promise<{ readonly email: string }> {
    const read = await this.credentials.load();
    switch (read.kind) {
      case 'found':
        return { email: read.credentials.email };
      case 'none':
        throw new AppError('not-logged-in', 'Not logged in. Run `arcade login` first.');
      case 'unreadable':
        throw new AppError('credentials-unreadable', `Cannot read ${this.credentials.describeLocation()}: ${read.reason}. Run \`arcade logout\` and \`arcade login\` again.`);
    }
  }
}
