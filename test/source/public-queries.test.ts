/** What public readers can make the server ask its upstream Prometheus: the KPIs' queries only, unless the policy says any. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '#test-support/wait-for.js';
import type { KpiReading } from '../../src/sdk/types.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

const READ_TOKEN = 'public-queries-read-token-0123';

/** A fake upstream on 127.0.0.1: answers every query with 3 and records what it was asked, with which headers. */
interface Upstream {
  readonly url: string;
  readonly asked: { query: string; authorization?: string; tenant?: string }[];
  close(): Promise<void>;
}

async function upstream(): Promise<Upstream> {
  const asked: Upstream['asked'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      asked.push({
        query: new URLSearchParams(body).get('query') ?? '',
        authorization: req.headers.authorization,
        tenant: req.headers['x-scope-orgid'] as string | undefined,
      });
      res.setHeader('content-type', 'application/json');
      res.end(
        `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[${Date.now() / 1000},"3"]}]}}`,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function serverFor(up: Upstream, publicQueries?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-public-queries-'));
  const configPath = join(dir, 'kpi-lights.yaml');
  const setting = publicQueries ? `\n    public_queries: ${publicQueries}` : '';
  writeFileSync(
    configPath,
    `source:
  prometheus:
    url: ${up.url}
    headers: { Authorization: Bearer upstream-secret-0123456789, X-Scope-OrgID: irs }${setting}
kpis:
  - id: depth
    title: Queue depth
    query: sum(queue_depth)
    unit: count
    thresholds: { warning: 10, critical: 20 }
auth:
  read: public
  tokens:
    - { name: analyst, token: ${READ_TOKEN}, scopes: [read] }
evaluation: { interval: 1s }
`,
  );
  const handle = await startServer({
    configPath,
    port: 0,
    dataDir: join(dir, 'data'),
    processMetrics: false,
    report: () => {},
  });
  return {
    handle,
    close: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ASKED = 'count by (tenant) (secret_series)';

async function ask(server: ServerHandle, token?: string) {
  const res = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(ASKED)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function kpiStatus(server: ServerHandle): Promise<string | undefined> {
  const readings = (await (await fetch(`${server.url}/api/v1/kpis`)).json()) as KpiReading[];
  return readings[0]?.status;
}

describe('public readers and the upstream Prometheus', () => {
  let up: Upstream;
  let safe: Awaited<ReturnType<typeof serverFor>>;
  let open: Awaited<ReturnType<typeof serverFor>>;

  beforeAll(async () => {
    up = await upstream();
    [safe, open] = await Promise.all([serverFor(up), serverFor(up, 'any')]);
  }, 30_000);

  afterAll(async () => {
    await safe?.close();
    await open?.close();
    await up?.close();
  });

  it('by default, refuses an anonymous reader its own PromQL and asks the upstream nothing for it', async () => {
    const before = up.asked.filter((a) => a.query === ASKED).length;
    const refused = await ask(safe.handle);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      status: 401,
      detail:
        'this query would go to the upstream Prometheus with this server\'s credentials; with source.prometheus.public_queries: kpis-only it needs a bearer token with the "read" scope',
    });
    // A reader with a token may; a wrong token is still refused.
    expect((await ask(safe.handle, READ_TOKEN)).status).toBe(200);
    expect((await ask(safe.handle, 'not-a-token-0123456789')).status).toBe(401);
    expect(up.asked.filter((a) => a.query === ASKED)).toHaveLength(before + 1);
    // Anonymous readers still read the KPIs, which the server asks for itself.
    await waitFor(async () => (await kpiStatus(safe.handle)) === 'ok');
    expect(up.asked.some((a) => a.query === 'sum(queue_depth)' && a.tenant === 'irs')).toBe(true);
  });

  it('with public_queries: any, lets anonymous readers send any PromQL, with the server credentials', async () => {
    const before = up.asked.filter((a) => a.query === ASKED).length;
    const answered = await ask(open.handle);
    expect(answered.status).toBe(200);
    const sent = up.asked.filter((a) => a.query === ASKED);
    expect(sent).toHaveLength(before + 1);
    expect(sent.at(-1)).toMatchObject({
      authorization: 'Bearer upstream-secret-0123456789',
      tenant: 'irs',
    });
    await waitFor(async () => (await kpiStatus(open.handle)) === 'ok');
  });
});
