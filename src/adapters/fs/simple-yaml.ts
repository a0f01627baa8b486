/**
 * `credentials.yaml` in the layout both CLIs write (nested `key: value` mappings of plain words),
 * read without loading the YAML package: a tracked command reads this file on every run, and the
 * package costs more than the rest of the tracked path. Anything outside that layout (quotes,
 * comments, lists, flow style, anchors, tabs, a value YAML may read as a number, date, boolean or null)
 * returns undefined, and the caller parses it with the YAML package, so no file is ever read
 * differently from how YAML reads it.
 */

type Mapping = { [key: string]: Mapping | string };

/** Words YAML 1.2 (core schema) or 1.1 reads as a boolean or null, in any case. */
const NOT_A_STRING = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null']);

/** One line of the layout: its indentation, its key, and its value (undefined for a key that opens a mapping). */
interface Line {
  readonly indent: number;
  readonly key: string;
  readonly value: string | undefined;
}

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isDigit = (code: number) => code >= 48 && code <= 57;
/** What a key holds after its first letter or underscore. */
const isKeyCharacter = (code: number) => isLetter(code) || isDigit(code) || code === 95 || code === 45;
/** `_ . @ + / = -`: the marks keys and emails use. */
const VALUE_MARKS = new Set([95, 46, 64, 43, 47, 61, 45]);

/**
 * `<spaces><key>:` or `<spaces><key>: <value>`: a key is a letter or underscore, then letters,
 * digits, `_` and `-`; a value is a letter, then letters, digits and the marks above (one starting
 * with a digit may be a number or a date to YAML: the package decides). Neither may be a word YAML
 * reads as a boolean or null. Undefined for any other line. Scanned by hand: compiling regular
 * expressions cost a tracked command more than this scan (docs/performance.md).
 */
function scanLine(line: string): Line | undefined {
  let at = 0;
  while (line.charCodeAt(at) === 32) at += 1;
  const indent = at;
  if (!isLetter(line.charCodeAt(at)) && line.charCodeAt(at) !== 95) return undefined;
  do at += 1;
  while (at < line.length && isKeyCharacter(line.charCodeAt(at)));
  const key = line.slice(indent, at);
  if (line.charCodeAt(at) !== 58 || NOT_A_STRING.has(key.toLowerCase())) return undefined;
  at += 1;
  if (at === line.length) return { indent, key, value: undefined };
  const afterColon = at;
  while (line.charCodeAt(at) === 32) at += 1;
  if (at === afterColon || !isLetter(line.charCodeAt(at))) return undefined;
  const value = line.slice(at);
  for (at += 1; at < line.length; at += 1) {
    const code = line.charCodeAt(at);
    if (!isLetter(code) && !isDigit(code) && !VALUE_MARKS.has(code)) return undefined;
  }
  return NOT_A_STRING.has(value.toLowerCase()) ? undefined : { indent, key, value };
}

/** The document, when it is in the simple layout; undefined when only the YAML package can say. */
export function parseSimpleYaml(text: string): Mapping | undefined {
  const root: Mapping = {};
  // The open mappings, innermost last, each with the indentation of its keys (undefined: not yet known).
  const stack: { indent: number | undefined; mapping: Mapping }[] = [{ indent: 0, mapping: root }];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const scanned = scanLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (!scanned) return undefined;
    const { indent, key, value } = scanned;
    let top = stack[stack.length - 1];
    if (top.indent === undefined) {
      // The first key of a nested mapping sets its indentation, deeper than its parent's.
      if (indent <= stack[stack.length - 2].indent!) return undefined;
      top.indent = indent;
    }
    while (indent < top.indent!) {
      stack.pop();
      top = stack[stack.length - 1];
    }
    if (indent !== top.indent || Object.hasOwn(top.mapping, key)) return undefined;
    if (value === undefined) {
      const child: Mapping = {};
      top.mapping[key] = child;
      stack.push({ indent: undefined, mapping: child });
    } else {
      top.mapping[key] = value;
    }
  }
  // A key with nothing under it is null in YAML, not an empty mapping; a blank document is YAML's to read too.
  return (stack[stack.length - 1].indent === undefined && stack.length > 1) || Object.keys(root).length === 0 ? undefined : root;
}
