/** A hostile Prometheus source: endless and 600 MB bodies are cut at the cap, redirects stay in its origin, and the other KPIs go on. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '#test-support/wait-for.js';
import type { KpiReading } from '../../src/sdk/types.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

/** The body cap of this test's server (`--query.max-result-bytes`), lowered to keep rounds short. */
const CAP = 4 * 1024 * 1024;
const MB = 1024 * 1024;
const CHUNK = Buffer.from(`${'{"metric":{"k":"v"},"value":[1,"1"]},'.repeat(1_000)}`);
const SECRET_HEADERS = { Authorization: 'Bearer source-secret-0123456789', 'X-Scope-OrgID': 'irs' };

/** What the fake Prometheus wrote for one kind of hostile answer. */
interface Sent {
  bytes: number;
  answers: number;
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

/**
 * Writes `CHUNK`s until `total` bytes (or forever), honouring backpressure; counts what left.
 * Chunked, so the cap has to be counted while reading, not read off a `Content-Length`.
 */
function stream(res: ServerResponse, total: number, sent: Sent): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"status":"success","data":{"resultType":"vector","result":[');
  const pump = () => {
    while (!res.destroyed && sent.bytes < total) {
      sent.bytes += CHUNK.length;
      if (!res.write(CHUNK)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

describe('a hostile Prometheus source', () => {
  const sent = { endless: { bytes: 0, answers: 0 }, big: { bytes: 0, answers: 0 } };
  const elsewhereSeen: IncomingMessage['headers'][] = [];
  let dir: string;
  let prometheus: Server;
  let elsewhere: Server;
  let server: ServerHandle;

  beforeAll(async () => {
    elsewhere = createServer((req, res) => {
      elsewhereSeen.push(req.headers);
      res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    const elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    prometheus = createServer(async (req, res) => {
      const form = await readForm(req);
      const query = form.get('query') ?? '';
      if (query.includes('endless')) {
        sent.endless.answers++;
        return stream(res, Number.POSITIVE_INFINITY, sent.endless);
      }
      if (query.includes('six_hundred_mb')) {
        sent.big.answers++;
        return stream(res, 600 * MB, sent.big);
      }
      if (query.includes('moved')) {
        res.writeHead(307, { location: `${elsewhereUrl}/api/v1/query` });
        return void res.end();
      }
      res.setHeader('content-type', 'application/json');
      res.end(
        `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[${Date.now() / 1000},"3"]}]}}`,
      );
    });
    await new Promise<void>((r) => prometheus.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'kpi-hostile-source-'));
    const configPath = join(dir, 'kpi-lights.yaml');
    const kpi = (id: string, query: string) => `  - id: ${id}
    title: ${id}
    query: ${query}
    unit: count
    thresholds: { warning: 10, critical: 20 }
`;
    writeFileSync(
      configPath,
      `source:
  prometheus:
    url: ${url}
    timeout: 5s
    headers: { Authorization: '${SECRET_HEADERS.Authorization}', X-Scope-OrgID: irs }
    # The query API test below asks as an anonymous reader.
    public_queries: any
kpis:
${kpi('depth', 'sum(queue_depth)')}${kpi('endless', 'sum(endless)')}${kpi('moved', 'sum(moved)')}evaluation: { interval: 1s }
`,
    );
    server = await startServer({
      configPath,
      port: 0,
      dataDir: join(dir, 'data'),
      processMetrics: false,
      queryMaxResultBytes: CAP,
      report: () => {},
    });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    for (const s of [prometheus, elsewhere]) {
      s?.closeAllConnections();
      await new Promise((r) => s?.close(r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const readings = async () =>
    new Map(
      ((await (await fetch(`${server.url}/api/v1/kpis`)).json()) as KpiReading[]).map((r) => [
        r.id,
        r,
      ]),
    );

  it('cuts an endless body at the cap every round, holds memory flat, and keeps the other KPIs', async () => {
    await waitFor(() => sent.endless.answers >= 2, { timeoutMs: 15_000 });
    const rssBefore = process.memoryUsage().rss;
    const rounds = sent.endless.answers;
    await waitFor(() => sent.endless.answers >= rounds + 5, { timeoutMs: 20_000 });
    const grownMb = (process.memoryUsage().rss - rssBefore) / MB;
    const perRoundMb = sent.endless.bytes / sent.endless.answers / MB;
    console.log(
      `endless body: ${sent.endless.answers} rounds, ${perRoundMb.toFixed(1)} MB written per round ` +
        `(cap ${CAP / MB} MiB, the rest was socket buffers); RSS grew ${grownMb.toFixed(0)} MB over 5 rounds`,
    );
    // Each round stopped reading at the cap: what the source could write is the cap plus what
    // the kernel's socket buffers took, never the endless rest.
    expect(perRoundMb).toBeLessThan(CAP / MB + 16);
    // Before, each round kept everything it read: 146 MB → 3.2 GB in 40 s.
    expect(grownMb).toBeLessThan(100);
    const now = await readings();
    expect(now.get('endless')).toMatchObject({
      status: 'unknown',
      reason: `query error: prometheus's answer from /api/v1/query is larger than the 4 MiB limit; read no further`,
    });
    expect(now.get('depth')).toMatchObject({ status: 'ok', value: 3 });
  });

  it('cuts a 600 MB answer to a query API request at the cap with 422', async () => {
    const started = performance.now();
    const res = await fetch(
      `${server.url}/api/v1/query?query=${encodeURIComponent('sum(six_hundred_mb)')}`,
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      status: 'error',
      errorType: 'execution',
      error: `prometheus's answer from /api/v1/query is larger than the 4 MiB limit; read no further`,
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(sent.big.bytes).toBeLessThan(CAP + 16 * MB);
  });

  it('refuses a redirect to another origin: the KPI says why and the secret headers stay home', async () => {
    await waitFor(async () => (await readings()).get('moved')?.status === 'unknown');
    const moved = (await readings()).get('moved')!;
    expect(moved.reason).toMatch(
      /^query error: prometheus redirect from http:\/\/127\.0\.0\.1:\d+ to another origin \(http:\/\/127\.0\.0\.1:\d+\) refused/,
    );
    expect(elsewhereSeen).toEqual([]);
    expect((await readings()).get('depth')).toMatchObject({ status: 'ok' });
  });
});
