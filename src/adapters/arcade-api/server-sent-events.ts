/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** `event:`; `message` when the event named none. */
  readonly type: string;
  readonly data: string;
  /** The stream's last event id so far (`id:` lines persist across events), or null. */
  readonly lastEventId: string | null;
}

/** The most one event (its lines together) may hold: far more than any log line, far less than memory. */
export const MAX_EVENT_CHARS = 1024 * 1024;

/** A stream that sent an event (or a line) larger than MAX_EVENT_CHARS. */
export class EventTooLarge extends Error {
  constructor() {
    super(`an event larger than ${MAX_EVENT_CHARS} characters`);
  }
}

/**
 * A `text/event-stream` parser, as the HTML standard defines it: fields accumulate until a blank
 * line dispatches the event; `data:` lines join with newlines; comments (`:`) are ignored; an `id:`
 * counts only once its event is dispatched, so an event cut off by a dropped connection changes
 * nothing and is received whole on resumption; a leading byte order mark is not part of the first
 * line. Linear in its input: a line arriving in many chunks is scanned once, and an event past
 * MAX_EVENT_CHARS throws EventTooLarge instead of growing without end.
 */
export class ServerSentEventParser {
  /** The current line's text so far, as it arrived (joined once, when its end comes). */
  private partial: string[] = [];
  private partialChars = 0;
  /** The last chunk ended with a CR: a LF first in the next one is the rest of that CRLF. */
  private skipLf = false;
  private started = false;
  private data: string[] = [];
  private dataChars = 0;
  private type = '';
  private pendingId: string | null = null;
  private lastEventId: string | null = null;

  constructor(private readonly dispatch: (event: ServerSentEvent) => void) {}

  /** Feeds a chunk of the stream (any split, even inside a line or a CRLF). */
  push(chunk: string): void {
    if (chunk === '') return;
    let start = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.startsWith('\ufeff')) start = 1;
    }
    if (this.skipLf && chunk.startsWith('\n', start)) start += 1;
    this.skipLf = false;
    for (;;) {
      LINE_END.lastIndex = start;
      const end = LINE_END.exec(chunk)?.index;
      if (end === undefined) break;
      this.partial.push(chunk.slice(start, end));
      const line = this.partial.join('');
      this.partial = [];
      this.partialChars = 0;
      start = end + (chunk.startsWith('\r\n', end) ? 2 : 1);
      if (chunk[end] === '\r' && start === chunk.length) this.skipLf = true;
      this.line(line);
    }
    if (start < chunk.length) {
      this.partial.push(chunk.slice(start));
      this.partialChars += chunk.length - start;
    }
    if (this.partialChars + this.dataChars > MAX_EVENT_CHARS) throw new EventTooLarge();
  }

  private line(line: string): void {
    if (line === '') return this.dispatchEvent();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') {
      this.data.push(value);
      this.dataChars += value.length + 1;
    } else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.pendingId = value;
  }

  private dispatchEvent(): void {
    if (this.pendingId !== null) this.lastEventId = this.pendingId;
    this.pendingId = null;
    const data = this.data;
    const type = this.type || 'message';
    this.data = [];
    this.dataChars = 0;
    this.type = '';
    if (data.length === 0) return;
    this.dispatch({ type, data: data.join('\n'), lastEventId: this.lastEventId || null });
  }
}

const LINE_END = /[\r\n]/g;
