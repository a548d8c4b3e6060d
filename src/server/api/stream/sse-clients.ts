/** The two ways a stream viewer's bytes leave: straight onto a Node socket, or into a web stream. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** One connected viewer, whatever carries its bytes. */
export interface SseClient {
  /** The client address it counts against. */
  readonly address: string;
  /** Queues bytes; answers false when the viewer is too far behind and must be dropped. */
  write(chunk: Uint8Array): boolean;
  close(): void;
}

/**
 * A viewer on a Node response: bytes go straight to the socket. Past `limit` unsent bytes it
 * takes no more (`write` answers false) rather than let the server's memory grow.
 *
 * @example
 * ```ts
 * const client = nodeSseClient(outgoing, '127.0.0.1', 1024 * 1024);
 * ```
 */
export function nodeSseClient(res: ServerResponse, address: string, limit: number): SseClient {
  return {
    address,
    write: (chunk) => {
      if (res.destroyed) return true;
      if (res.writableLength > limit) return false;
      res.write(chunk);
      return true;
    },
    close: () => res.destroy(),
  };
}

/**
 * A viewer on a web `ReadableStream` (in process, `app.request`): the same bound on what is
 * queued and not read.
 *
 * @example
 * ```ts
 * new ReadableStream({ start: (c) => { client = webSseClient(c, 'local', 1024 * 1024); } });
 * ```
 */
export function webSseClient(
  controller: ReadableStreamDefaultController<Uint8Array>,
  address: string,
  limit: number,
): SseClient {
  let closed = false;
  return {
    address,
    write: (chunk) => {
      if (closed) return true;
      if ((controller.desiredSize ?? 0) < -limit) return false;
      controller.enqueue(chunk);
      return true;
    },
    close: () => {
      if (closed) return;
      closed = true;
      try {
        controller.close();
      } catch {
        // The reader already went away; nothing left to close.
      }
    },
  };
}

/** The address a request came from, for the per-client cap; `local` in process (`app.request`). */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
