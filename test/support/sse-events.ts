/** Reading a server-sent event stream in tests and benchmarks: one frame parser, eventsource-parser's. */
import { createParser } from 'eventsource-parser';

/** One event as the stream framed it. `id` is absent when the frame set none. */
export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/**
 * A feed for text chunks in arrival order, calling `onEvent` for every complete event that
 * names its type. Comments (the hub's keep-alives) and bare `retry:` frames are not events.
 *
 * @example
 * ```ts
 * const feed = sseFrameReader((e) => console.log(e.event, e.data));
 * res.on('data', (chunk: string) => feed(chunk));
 * ```
 */
export function sseFrameReader(onEvent: (event: SseEvent) => void): (chunk: string) => void {
  const parser = createParser({
    onEvent: ({ id, event, data }) => {
      // Every event the server sends is named; an unnamed one would be a framing mistake.
      if (event !== undefined) onEvent({ id, event, data });
    },
  });
  return (chunk) => parser.feed(chunk);
}

/**
 * The events of a `fetch` response, as they arrive. Ends when the stream ends or fails (the hub
 * closes the socket on shutdown, which fetch reports as an error), and releases the body.
 *
 * @example
 * ```ts
 * for await (const e of sseEvents(await fetch(url))) if (e.event === 'kpi') break;
 * ```
 */
export async function* sseEvents(res: Response): AsyncGenerator<SseEvent> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const ready: SseEvent[] = [];
  const feed = sseFrameReader((e) => ready.push(e));
  try {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: '', done: true }));
      if (done) return;
      feed(value);
      while (ready.length > 0) yield ready.shift()!;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * Collects events until `until` says it has enough, or the stream ends.
 *
 * @example
 * ```ts
 * const events = await readSseEvents(res, (got) => got.length >= 3);
 * ```
 */
export async function readSseEvents(
  res: Response,
  until: (events: readonly SseEvent[]) => boolean,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  if (until(events)) return events;
  for await (const e of sseEvents(res)) {
    events.push(e);
    if (until(events)) break;
  }
  return events;
}
