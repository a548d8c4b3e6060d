/** Reads a fetch `Response` body as text under a byte cap, streaming, so a huge or endless body is cut, never held. */
import { formatBytes } from '../../shared/format-bytes.js';

/** A body passed its cap; reading stopped there and the connection was released. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  /** The cap, in bytes. */
  readonly limit: number;

  constructor(limit: number, what: string) {
    super(`${what} is larger than the ${formatBytes(limit)} limit; read no further`);
    this.limit = limit;
  }
}

/**
 * The body as UTF-8 text, read chunk by chunk and counted as it comes (after any decompression
 * `fetch` did), so memory never holds more than `maxBytes` of it. A declared `Content-Length`
 * over the cap fails before reading. Past the cap, the stream is cancelled, which closes the
 * connection, and {@link BodyTooLargeError} is thrown; `what` names the body in its message. A
 * deadline is the fetch's own signal: it aborts the read too.
 *
 * @example
 * ```ts
 * const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
 * const text = await readBoundedText(res, 32 * 1024 * 1024, 'the answer from /api/v1/query');
 * ```
 */
export async function readBoundedText(
  response: Response,
  maxBytes: number,
  what = 'the response body',
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (!response.headers.has('content-encoding') && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(maxBytes, what);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBytes, what);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
