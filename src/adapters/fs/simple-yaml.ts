/**
 * `credentials.yaml` in the layout both CLIs write (nested `key: value` mappings of plain words),
 * read without loading the YAML package: a tracked command reads this file on every run, and the
 * package costs more than the rest of the tracked path. Anything outside that layout (quotes,
 * comments, lists, flow style, anchors, tabs, a value YAML may read as a number, date, boolean or null)
 * returns undefined, and the caller parses it with the YAML package, so no file is ever read
 * differently from how YAML reads it.
 */

type Mapping = { [key: string]: Mapping | string };

const LINE = /^( *)([A-Za-z_][A-Za-z0-9_-]*):(?: +(\S.*))?$/;
/**
 * A plain scalar YAML reads as the same string: a letter, then word characters and the few marks
 * keys and emails use. (A value starting with a digit may be a number or a date to YAML: the
 * package decides.)
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9_.@+/=-]*$/;
/** Words YAML 1.2 (core schema) or 1.1 reads as a boolean or null, in any case. */
const NOT_A_STRING = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null']);

/** The document, when it is in the simple layout; undefined when only the YAML package can say. */
export function parseSimpleYaml(text: string): Mapping | undefined {
  const root: Mapping = {};
  // The open mappings, innermost last, each with the indentation of its keys (undefined: not yet known).
  const stack: { indent: number | undefined; mapping: Mapping }[] = [{ indent: 0, mapping: root }];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (!match) return undefined;
    const [, spaces, key, value] = match;
    const indent = spaces.length;
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
      if (!PLAIN.test(value) || NOT_A_STRING.has(value.toLowerCase())) return undefined;
      top.mapping[key] = value;
    }
  }
  // A key with nothing under it is null in YAML, not an empty mapping.
  return stack[stack.length - 1].indent === undefined && stack.length > 1 ? undefined : root;
}
