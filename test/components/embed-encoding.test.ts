/** `/embed.js` and its chart part on the KPI server over a real socket, read raw as curl reads them: each Accept-Encoding gets the right bytes, Content-Encoding and Vary, and a 304 per coding. */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKpiAppFixture, type KpiAppFixture } from '#test-support/kpi-app-fixture.js';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';

/** One raw answer: status, headers, and the body's bytes exactly as they came over the socket. */
interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** A GET with no decoding of the body (fetch would undo the Content-Encoding). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body with its Content-Encoding undone. */
function decode(answer: RawAnswer): Buffer {
  const coding = answer.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(answer.body);
  if (coding === 'gzip') return gunzipSync(answer.body);
  expect(coding).toBeUndefined();
  return answer.body;
}

/** What the issue asks of each header: which coding comes back. */
const CASES: [string | undefined, 'br' | 'gzip' | undefined][] = [
  [undefined, undefined],
  ['gzip', 'gzip'],
  ['br', 'br'],
  ['br;q=0, gzip', 'gzip'],
  ['*', 'br'],
];

let fixture: KpiAppFixture;
let server: LocalServer;
/** The entry's and the chart part's bytes as they are, from a request with no Accept-Encoding. */
const plain = new Map<string, Buffer>();

beforeAll(async () => {
  fixture = createKpiAppFixture({ read: 'token' });
  server = await serveLocal(fixture.server.app);
  // From a clone with or without a build: dist/, or vite builds the bundle on this request.
  const entry = await rawGet(`${server.url}/embed.js`);
  expect(entry.status).toBe(200);
  plain.set('/embed.js', entry.body);
  const part = /import\(`\.\/(embed\/latency-chart-[\w-]+\.js)`\)/.exec(entry.body.toString());
  expect(part, 'the entry imports the chart part').not.toBeNull();
  const chart = await rawGet(`${server.url}/${part?.[1]}`);
  expect(chart.status).toBe(200);
  plain.set(`/${part?.[1]}`, chart.body);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fixture?.close();
});

describe('the components bundle over HTTP', () => {
  for (const [header, coding] of CASES) {
    it(`answers Accept-Encoding ${header ?? '(none)'} with ${coding ?? 'no coding'}, and a 304 for its ETag`, async () => {
      const etags = new Set<string>();
      for (const [path, bytes] of plain) {
        const ask: Record<string, string> =
          header === undefined ? {} : { 'accept-encoding': header };
        const answer = await rawGet(`${server.url}${path}`, ask);
        expect(answer.status, path).toBe(200);
        expect(answer.headers['content-encoding'], path).toBe(coding);
        expect(answer.headers.vary, path).toMatch(/\bAccept-Encoding\b/i);
        expect(answer.headers['content-length'], path).toBe(String(answer.body.length));
        expect(decode(answer).equals(bytes), path).toBe(true);
        if (coding !== undefined) expect(answer.body.length).toBeLessThan(bytes.length / 2);
        const etag = String(answer.headers.etag);
        expect(etag).toMatch(/^"[\w-]{27}"$/);
        etags.add(etag);

        const again = await rawGet(`${server.url}${path}`, { ...ask, 'if-none-match': etag });
        expect(again.status, path).toBe(304);
        expect(again.headers.etag).toBe(etag);
        expect(again.headers.vary).toMatch(/\bAccept-Encoding\b/i);
        expect(again.body.length).toBe(0);
      }
      expect(etags.size).toBe(plain.size);
    });
  }

  it('gives every coding of a file its own ETag', async () => {
    for (const path of plain.keys()) {
      const tags = await Promise.all(
        ['identity', 'gzip', 'br'].map(async (c) => {
          const answer = await rawGet(`${server.url}${path}`, { 'accept-encoding': c });
          return String(answer.headers.etag);
        }),
      );
      expect(new Set(tags).size, path).toBe(3);
    }
  });
});
