/** The SDK's own event-stream reader: the standard's framing, and the same events as eventsource-parser on any stream cut into any chunks. */
import { createParser } from 'eventsource-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KpiLightsError } from '../../src/sdk/errors/kpi-lights-error.js';
import { type EventStreamMessage, eventStreamReader } from '../../src/sdk/event-stream-reader.js';

/** Feeds `chunks` to our reader; returns the events and the retry times it reported. */
function ours(chunks: readonly string[]) {
  const events: EventStreamMessage[] = [];
  const retries: number[] = [];
  const feed = eventStreamReader({
    onEvent: (m) => events.push(m),
    onRetry: (ms) => retries.push(ms),
  });
  for (const chunk of chunks) feed(chunk);
  return { events, retries };
}

/** The same through eventsource-parser, the reader the SDK used before. */
function reference(chunks: readonly string[]) {
  const events: EventStreamMessage[] = [];
  const retries: number[] = [];
  const parser = createParser({
    onEvent: ({ id, event, data }) => events.push({ id, event, data }),
    onRetry: (ms) => retries.push(ms),
  });
  for (const chunk of chunks) parser.feed(chunk);
  return { events, retries };
}

/** Cuts `text` at the given places. */
function cut(text: string, at: readonly number[]): string[] {
  const points = [...new Set(at.map((i) => i % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

describe('eventStreamReader', () => {
  it('frames events: named, multi-line data, ids, comments and retry', () => {
    const { events, retries } = ours([
      ': keep-alive\n',
      'retry: 2500\nid: e1-7\nevent: kpi\ndata: {"a":\ndata: 1}\n\n',
      'data: plain\n\n',
      'event: heartbeat\ndata:\n\n',
    ]);
    expect(events).toEqual([
      { id: 'e1-7', event: 'kpi', data: '{"a":\n1}' },
      { id: undefined, event: undefined, data: 'plain' },
      { id: undefined, event: 'heartbeat', data: '' },
    ]);
    expect(retries).toEqual([2500]);
  });

  it('reads CRLF, CR and LF line ends, a CRLF split across chunks once', () => {
    const { events } = ours(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n\n']);
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c']);
  });

  it('skips a leading byte-order mark, an event with no data and an id with a NUL', () => {
    const { events, retries } = ours(['\ufeffid: x\n\n', 'id: a\u0000b\ndata: d\nretry: 1s\n\n']);
    expect(events).toEqual([{ id: undefined, event: undefined, data: 'd' }]);
    expect(retries).toEqual([]);
  });

  it('holds an unfinished event until its blank line', () => {
    const events: EventStreamMessage[] = [];
    const feed = eventStreamReader({ onEvent: (m) => events.push(m) });
    feed('data: one');
    feed(' two');
    feed('\n');
    expect(events).toEqual([]);
    feed('\n');
    expect(events).toEqual([{ id: undefined, event: undefined, data: 'one two' }]);
  });

  it('refuses an event that outgrows its bound, then reads on', () => {
    const events: EventStreamMessage[] = [];
    const feed = eventStreamReader({ onEvent: (m) => events.push(m), maxEventChars: 100 });
    feed('data: ');
    expect(() => feed('x'.repeat(200))).toThrow(KpiLightsError);
    feed('\n\ndata: small\n\n');
    expect(events.map((e) => e.data)).toEqual(['small']);
  });

  it('gives what eventsource-parser gives for any stream in any chunks', () => {
    const field = fc.constantFrom('data', 'event', 'id', 'retry', '', 'other', 'dat');
    const value = fc.oneof(
      fc.constantFrom('', ' ', 'x', ' kpi', '12', ' 300', 'a:b', '{"v":1}', '1e3'),
      fc.string({ maxLength: 6 }).filter((s) => !/[\r\n]/.test(s)),
    );
    const line = fc.oneof(
      fc.tuple(field, fc.constantFrom(':', ': ', ''), value).map(([f, sep, v]) => `${f}${sep}${v}`),
      fc.constant(''),
      fc.constant(': comment'),
    );
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    const stream = fc
      .array(fc.tuple(line, eol), { maxLength: 30 })
      .map((lines) => lines.map(([l, e]) => l + e).join(''));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), (text, at) => {
        // A CR that ends the whole stream waits for what follows in both readers.
        const chunks = cut(`${text}\n\n`, at);
        expect(ours(chunks)).toEqual(reference(chunks));
      }),
      { numRuns: 2_000 },
    );
  });
});
