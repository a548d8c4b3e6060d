/** A newline-delimited JSON body that reads its next page only when the client has taken the last. */

/**
 * A stream of NDJSON pages. `nextPage` runs only when the reader asks for more, and the server
 * (`@hono/node-server`) asks only after the socket took the last write, or drained: so a client
 * that stops reading stops the reads, and the server holds at most one page beyond the
 * socket's own buffers. `nextPage` answers the page's records, or `null` at the end. A client
 * that goes away cancels the stream, and no page is read after that.
 *
 * @example
 * ```ts
 * let n = 0;
 * return new Response(ndjsonStream(async () => (n < 3 ? [{ n: n++ }] : null)), {
 *   headers: { 'content-type': 'application/x-ndjson' },
 * });
 * ```
 */
export function ndjsonStream(
  nextPage: () => Promise<readonly unknown[] | null>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // An empty page is not the end: read on until there is a line to send or nothing left.
        for (;;) {
          const page = await nextPage();
          if (page === null) {
            controller.close();
            return;
          }
          if (page.length === 0) continue;
          let text = '';
          for (const record of page) text += `${JSON.stringify(record)}\n`;
          controller.enqueue(encoder.encode(text));
          return;
        }
      },
    },
    // Nothing read ahead: pull runs only for a read that is waiting.
    new CountQueuingStrategy({ highWaterMark: 0 }),
  );
}
