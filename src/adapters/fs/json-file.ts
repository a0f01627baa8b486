import { fileErrorReason } from '../../domain/errors.js';
import { readStateFile } from './state-file.js';

export type JsonRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'parsed'; readonly value: unknown }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Reads (see state-file.ts) and parses a JSON file, telling a missing file from an unreadable or malformed one. */
export function readJsonFile(path: string): JsonRead {
  let text: string;
  try {
    text = readStateFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: fileErrorReason(code) };
  }
  try {
    return { kind: 'parsed', value: JSON.parse(text) };
  } catch {
    return { kind: 'unreadable', reason: 'it is not valid JSON' };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
