import { randomUUID } from 'node:crypto';
import type { IdSource } from '../../domain/ports/id-source.js';

export class CryptoIdSource implements IdSource {
  uuid(): string {
    return randomUUID();
  }
}
