/** Scrubbing of anything that leaves the machine in an event. Pure: the tests pin every rule. */

const MAX_ERROR_MESSAGE_LENGTH = 300;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /\b(Bearer|Basic)\s+[^\s"']+/gi;
const ASSIGNED_SECRET =
  /\b(api[_-]?key|access[_-]?token|token|secret|password|authorization)(["']?\s*[=:]\s*["']?)(?:(?:Bearer|Basic)\s+)?[^\s"'&,;]+/gi;
const PREFIXED_KEY = /\b(?:arc|sk|pk|rk|phc|phx|ghp|gho|ghs|xox[abprs])[_-][A-Za-z0-9_-]{6,}/g;
// Long runs of key-like characters (no dashes, so UUIDs and kebab-case names survive).
const OPAQUE_TOKEN = /\b[A-Za-z0-9+/_]{32,}={0,2}/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Makes an error message safe to send: one line, the home directory as `~`, no email address, no
 * API key or token (the known ones exactly, and anything shaped like one), at most 300 characters.
 */
export function scrubErrorMessage(message: string, homeDir: string, secrets: readonly string[] = []): string {
  let text = message.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) {
    if (secret.length >= 4) text = text.split(secret).join('<redacted>');
  }
  if (homeDir.length > 1) {
    const home = homeDir.replace(/[\\/]+$/, '');
    text = text.replace(new RegExp(`${escapeRegExp(home)}(?=$|[\\\\/\\s"':,;)])`, 'g'), '~');
  }
  text = text
    .replace(EMAIL, '<email>')
    .replace(BEARER, '$1 <redacted>')
    .replace(ASSIGNED_SECRET, '$1$2<redacted>')
    .replace(PREFIXED_KEY, '<redacted>')
    .replace(OPAQUE_TOKEN, '<redacted>');
  if (text.length > MAX_ERROR_MESSAGE_LENGTH) text = `${text.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
  return text;
}
