/** Server-sent events read from text chunks, framed as the HTML standard says: `data`, `event`, `id`, `retry`, comments. */
import { KpiLightsError } from './errors/kpi-lights-error.js';

/** One event as the stream framed it. */
export interface EventStreamMessage {
  /** The `id:` field of this event; absent when it set none. */
  readonly id: string | undefined;
  /** The `event:` field; absent (a plain `message`) when it set none or an empty one. */
  readonly event: string | undefined;
  /** The `data:` lines, joined by line feeds. */
  readonly data: string;
}

/** What the reader calls, and how much it holds. */
export interface EventStreamHandlers {
  readonly onEvent: (message: EventStreamMessage) => void;
  /** A valid `retry:` field: the server's reconnection time, ms. */
  readonly onRetry?: (ms: number) => void;
  /**
   * Most characters one unfinished event may hold (its lines so far and the line being read).
   * Default 16 Mi: far above any snapshot a KPI server sends, and a bound on a stream that never
   * ends its line.
   */
  readonly maxEventChars?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Returns the function to feed text chunks to, in arrival order; `onEvent` is called for each
 * complete event (a blank line after at least one `data:` line). Lines may end in CRLF, LF or CR,
 * and a CRLF split between two chunks counts once. Comments, unknown fields and an invalid
 * `retry:` are skipped; an `id:` with a NUL in it is ignored. The feed throws a
 * {@link KpiLightsError} when one event outgrows `maxEventChars`.
 *
 * @example
 * ```ts
 * const feed = eventStreamReader({ onEvent: (m) => console.log(m.event, m.data) });
 * feed('event: kpi\ndata: {"id":"a"}\n\n');
 * ```
 */
export function eventStreamReader(handlers: EventStreamHandlers): (chunk: string) => void {
  const { onEvent, onRetry } = handlers;
  const max = handlers.maxEventChars ?? 16 * 2 ** 20;
  /** The unfinished last line, with a trailing CR held back in case an LF follows. */
  let rest = '';
  let started = false;
  let data: string | undefined;
  let event: string | undefined;
  let id: string | undefined;

  const line = (text: string): void => {
    if (text === '') {
      if (data !== undefined) onEvent({ id, event, data });
      data = event = id = undefined;
      return;
    }
    const colon = text.indexOf(':');
    if (colon === 0) return;
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + (text.charCodeAt(colon + 1) === 32 ? 2 : 1));
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value || undefined;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry?.(Number(value));
  };

  const overflow = (): void => {
    if (rest.length + (data?.length ?? 0) <= max) return;
    rest = '';
    data = event = id = undefined;
    throw new KpiLightsError(`the stream sent an event over ${max} characters`);
  };

  return (chunk) => {
    // Most chunks of a long line end no line: add them without scanning the held text again.
    if (!LINE_BREAK.test(chunk) && !rest.endsWith('\r') && started) {
      rest += chunk;
      return overflow();
    }
    let text = rest + chunk;
    if (!started && text !== '') {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const end = text.endsWith('\r') ? text.length - 1 : text.length;
    const lines = text.slice(0, end).split(LINE_BREAK);
    rest = (lines.pop() ?? '') + text.slice(end);
    for (const l of lines) line(l);
    overflow();
  };
}
