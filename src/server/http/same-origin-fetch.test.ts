/** Same-origin redirects against real servers on 127.0.0.1: followed within one origin, refused across. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CrossOriginRedirectError, createSameOriginFetch } from './same-origin-fetch.js';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server that records every request and answers with `answer`. */
async function recording(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      answer(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const SECRET = { authorization: 'Bearer s3cret-token-abcdef', 'x-scope-orgid': 'irs' };

describe('createSameOriginFetch', () => {
  it('refuses a 307 to another port and sends nothing there', async () => {
    const elsewhere = await recording((_req, res) => res.end('stolen'));
    const source = await recording((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.origin}/api/v1/query` });
      res.end();
    });
    const get = createSameOriginFetch();
    const err = await get(`${source.origin}/api/v1/query`, {
      method: 'POST',
      headers: SECRET,
      body: 'query=up',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrossOriginRedirectError);
    expect((err as Error).message).toBe(
      `redirect from ${source.origin} to another origin (${elsewhere.origin}) refused: headers and body are never sent across origins`,
    );
    expect(elsewhere.seen).toEqual([]);
  });

  it('follows a 307 within the origin with method, headers and body', async () => {
    const source = await recording((req, res) => {
      if (req.url === '/old') {
        res.writeHead(307, { location: '/new' });
        res.end();
      } else res.end('ok');
    });
    const res = await createSameOriginFetch()(`${source.origin}/old`, {
      method: 'POST',
      headers: { ...SECRET, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=up',
    });
    expect(await res.text()).toBe('ok');
    expect(source.seen.map((s) => [s.method, s.path, s.body, s.headers['x-scope-orgid']])).toEqual([
      ['POST', '/old', 'query=up', 'irs'],
      ['POST', '/new', 'query=up', 'irs'],
    ]);
  });

  it('turns a 303 into a GET without the body or its headers', async () => {
    const source = await recording((req, res) => {
      if (req.url === '/form') {
        res.writeHead(303, { location: '/result' });
        res.end();
      } else res.end('done');
    });
    await createSameOriginFetch()(`${source.origin}/form`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    const last = source.seen[1]!;
    expect([last.method, last.body, last.headers['content-type']]).toEqual(['GET', '', undefined]);
  });

  it('refuses a redirect from http to https on the same host: another origin', async () => {
    const source = await recording((_req, res) => {
      res.writeHead(301, { location: 'https://127.0.0.1/secure' });
      res.end();
    });
    await expect(createSameOriginFetch()(`${source.origin}/`)).rejects.toThrow(
      CrossOriginRedirectError,
    );
  });

  it('stops a redirect loop after maxRedirects', async () => {
    const source = await recording((_req, res) => {
      res.writeHead(302, { location: '/again' });
      res.end();
    });
    await expect(createSameOriginFetch({ maxRedirects: 3 })(`${source.origin}/`)).rejects.toThrow(
      `more than 3 redirects from ${source.origin}`,
    );
    expect(source.seen).toHaveLength(4);
  });

  it('names only origins in its message, never user info or a path from the Location', async () => {
    const source = await recording((_req, res) => {
      res.writeHead(307, { location: 'http://user:hunter2hunter2@127.0.0.2:1/path?token=abc' });
      res.end();
    });
    const err = (await createSameOriginFetch()(source.origin).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(CrossOriginRedirectError);
    expect(err.message).toContain('(http://127.0.0.2:1)');
    expect(err.message).not.toMatch(/hunter2|token|path/);
  });
});
