/** The log stream's parser: events as the HTML standard's `text/event-stream` defines them, however the bytes are split. */
import { describe, expect, it } from '@jest/globals';
import {
  EventTooLarge,
  MAX_EVENT_CHARS,
  ServerSentEventParser,
  type ServerSentEvent,
} from '../../src/adapters/arcade-api/server-sent-events.js';

function parse(chunks: readonly string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

const STREAM =
  ': a comment\nid: 1\ndata: first\n\nid: 2\r\ndata: two\r\ndata:  lines\r\n\r\nevent: error\ndata: boom\n\ndata: no id\n\n';
const EXPECTED: ServerSentEvent[] = [
  { type: 'message', data: 'first', lastEventId: '1' },
  { type: 'message', data: 'two\n lines', lastEventId: '2' },
  { type: 'error', data: 'boom', lastEventId: '2' },
  { type: 'message', data: 'no id', lastEventId: '2' },
];

describe('ServerSentEventParser', () => {
  it('dispatches whole events: data lines joined, the event type, the last id kept across events', () => {
    expect(parse([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events however the stream is split, a CRLF across chunks included', () => {
    expect(parse([...STREAM])).toEqual(EXPECTED);
    expect(parse(['id: 1\r', '\ndata: x\r', '\n\r', '\n'])).toEqual([{ type: 'message', data: 'x', lastEventId: '1' }]);
  });

  it('reports nothing of an event cut off before its blank line, and its id does not count', () => {
    expect(parse(['id: 1\ndata: whole\n\nid: 2\ndata: cut'])).toEqual([{ type: 'message', data: 'whole', lastEventId: '1' }]);
  });

  it('drops a leading byte order mark, whole or split, and only at the start', () => {
    expect(parse(['\ufeffdata: first\n\n'])).toEqual([{ type: 'message', data: 'first', lastEventId: null }]);
    expect(parse(['', '\ufeff', 'data: a\n\ndata: \ufeffb\n\n']).map((event) => event.data)).toEqual(['a', '\ufeffb']);
  });

  it('reads a line sent in thousands of pieces once, and refuses an event past the cap instead of growing', () => {
    const piece = 'x'.repeat(100);
    const pieces = Array.from({ length: (MAX_EVENT_CHARS - 1000) / 100 }, () => piece);
    const events = parse(['data: ', ...pieces, '\n\n']);
    expect(events.map((event) => event.data.length)).toEqual([pieces.length * 100]);
    const parser = new ServerSentEventParser(() => undefined);
    expect(() => {
      for (let i = 0; i < MAX_EVENT_CHARS / 100 + 1; i++) parser.push(piece);
    }).toThrow(EventTooLarge);
    // Many data lines with no blank line between them count too.
    const lines = new ServerSentEventParser(() => undefined);
    expect(() => {
      for (let i = 0; i < MAX_EVENT_CHARS / 100 + 1; i++) lines.push(`data: ${piece}\n`);
    }).toThrow(EventTooLarge);
  });
});
