/**
 * Tables as gh prints them: on a terminal, a header and padded columns that fit its width (the
 * widest shrinkable column is cut with `…` until the row fits); to a pipe, one tab-separated line
 * per row and no header, for `cut` and `awk`. Cells must already be printable (see terminal.ts).
 */

export interface Column {
  readonly title: string;
  /** May be cut to fit the terminal (free text: endpoints, names); others always show whole. */
  readonly shrinks?: boolean;
}

/** Narrowest a cut column gets, `…` included. */
const MIN_CUT_WIDTH = 8;
const GAP = '  ';

/** `columns` is the terminal's width, or null for a pipe. */
export function renderTable(header: readonly Column[], rows: readonly (readonly string[])[], columns: number | null): string {
  if (columns === null) return rows.map((cells) => `${cells.join('\t')}\n`).join('');
  const widths = header.map((column, i) => Math.max(column.title.length, ...rows.map((cells) => cells[i].length)));
  const total = () => widths.reduce((sum, width) => sum + width, 0) + GAP.length * (widths.length - 1);
  while (total() > columns) {
    const widest = widths.reduce(
      (best, width, i) => (header[i].shrinks && width > MIN_CUT_WIDTH && (best === -1 || width > widths[best]) ? i : best),
      -1,
    );
    if (widest === -1) break; // nothing left to cut: the terminal wraps what remains
    widths[widest] -= 1;
  }
  const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
  return [header.map((column) => column.title), ...rows]
    .map((cells) =>
      cells.map((cell, i) => (i === cells.length - 1 ? fit(cell, widths[i]) : fit(cell, widths[i]).padEnd(widths[i]))).join(GAP),
    )
    .map((line) => `${line.trimEnd()}\n`)
    .join('');
}

/** The width a table printed on `stream` must fit: its columns on a terminal, null for a pipe or file. */
export function tableWidth(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }): number | null {
  if (stream.isTTY !== true) return null;
  return typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : 80;
}
