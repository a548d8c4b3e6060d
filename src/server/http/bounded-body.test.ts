/** Reading bodies under a cap from a real server: declared sizes fail before reading, streamed ones at the cap. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBoundedText } from './bounded-body.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

/** Answers with `declared` as Content-Length (if given), then writes up to `bytes`; counts writes. */
async function sender(
  bytes: number,
  declared?: number,
): Promise<{ url: string; written(): number }> {
  let written = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, declared === undefined ? {} : { 'content-length': String(declared) });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!res.destroyed && written < bytes) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    written: () => written,
  };
}

describe('readBoundedText', () => {
  it('reads a body within the cap whole', async () => {
    const s = await sender(128 * 1024);
    expect(await readBoundedText(await fetch(s.url), 1024 * 1024)).toHaveLength(128 * 1024);
  });

  it('fails a declared Content-Length over the cap before reading it', async () => {
    const s = await sender(600 * 1024 * 1024, 600 * 1024 * 1024);
    const err = await readBoundedText(await fetch(s.url), 1024 * 1024, 'the answer').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect((err as Error).message).toBe(
      'the answer is larger than the 1 MiB limit; read no further',
    );
  });

  it('stops a streamed body at the cap and closes the connection', async () => {
    const s = await sender(600 * 1024 * 1024);
    await expect(readBoundedText(await fetch(s.url), 1024 * 1024)).rejects.toThrow(
      BodyTooLargeError,
    );
    // The sender was stopped near the cap, not after 600 MB.
    expect(s.written()).toBeLessThan(32 * 1024 * 1024);
  });
});
