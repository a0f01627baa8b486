/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** `event:`; `message` when the event named none. */
  readonly type: string;
  readonly data: string;
  /** The stream's last event id so far (`id:` lines persist across events), or null. */
  readonly lastEventId: string | null;
}

/**
 * A `text/event-stream` parser, as the HTML standard defines it: fields accumulate until a blank
 * line dispatches the event; `data:` lines join with newlines; comments (`:`) are ignored; an `id:`
 * counts only once its event is dispatched, so an event cut off by a dropped connection changes
 * nothing and is received whole on resumption.
 */
export class ServerSentEventParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private pendingId: string | null = null;
  private lastEventId: string | null = null;

  constructor(private readonly dispatch: (event: ServerSentEvent) => void) {}

  /** Feeds a chunk of the stream (any split, even inside a line or a CRLF). */
  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      // A lone CR at the end may be the first half of a CRLF: wait for the next chunk.
      if (end === -1 || (this.buffer[end] === '\r' && end === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') return this.dispatchEvent();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.pendingId = value;
  }

  private dispatchEvent(): void {
    if (this.pendingId !== null) this.lastEventId = this.pendingId;
    this.pendingId = null;
    const data = this.data;
    const type = this.type || 'message';
    this.data = [];
    this.type = '';
    if (data.length === 0) return;
    this.dispatch({ type, data: data.join('\n'), lastEventId: this.lastEventId || null });
  }
}
