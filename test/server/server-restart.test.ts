/** startServer end to end: scrape a real target, evaluate, stop, start again on the same data. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { KpiHistory, KpiReading, PolicyVersionInfo } from '../../src/sdk/types.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';
import { PolicyError } from '../../src/server/policy/index.js';

const WRITE_TOKEN = 'restart-test-write-token-0123';

function policy(targetUrl: string, warning = 0.5): string {
  return `scrape: { interval: 1m, timeout: 5s }
targets:
  - url: ${targetUrl}
    labels: { service: efile }
kpis:
  - id: error-rate
    title: Error rate
    query: sum(errors_total) / sum(requests_total)
    unit: percent
    thresholds: { warning: ${warning}, critical: 0.9 }
auth:
  tokens:
    - { name: deploy, token: ${WRITE_TOKEN}, scopes: [write] }
evaluation: { interval: 1m }
`;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function exporter(): Promise<string> {
  const app = new Hono().get('/metrics', (c) =>
    c.text(
      '# TYPE requests_total counter\nrequests_total 200\n# TYPE errors_total counter\nerrors_total 50\n',
    ),
  );
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(s as Server),
    ) as Server;
  });
  cleanups.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(configPath: string, dataDir: string): Promise<ServerHandle> {
  const server = await startServer({ configPath, dataDir, port: 0, processMetrics: false });
  cleanups.push(() => server.close());
  return server;
}

describe('startServer', () => {
  it('keeps history and the policy version across a restart, and a PUT change too', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'kpi-lights.yaml');
    const target = await exporter();
    writeFileSync(configPath, policy(target));

    const first = await start(configPath, join(dir, 'data'));
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const [t] = first.targets();
    expect([t.url, t.job]).toEqual([target, 'efile']);
    const report = await first.scrape.scrapeNow(t.id);
    expect(report.error).toBeNull();
    const at = report.timestampMs + 1;
    await first.evaluator.evaluate(at);
    const reading = (await (
      await fetch(`${first.url}/api/v1/kpis/error-rate`)
    ).json()) as KpiReading;
    expect([reading.value, reading.status, reading.policyVersion]).toEqual([0.25, 'ok', 1]);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    await first.close();
    await first.close(); // idempotent

    const second = await start(configPath, join(dir, 'data'));
    expect(second.app.current().version.version).toBe(1);
    const url = `${second.url}/api/v1/kpis/error-rate/history?from=${at - 60_000}&to=${at}&step=1m`;
    const history = (await (await fetch(url)).json()) as KpiHistory;
    expect(history.v.filter((v) => v !== null)).toEqual([0.25]);
    const versions = (await (
      await fetch(`${second.url}/api/v1/policy/versions`)
    ).json()) as PolicyVersionInfo[];
    expect(versions.map((v) => v.version)).toEqual([1]);

    // A change through the API is kept too: it is a new version and is written back to the file,
    // which keeps its mode; the database, holding every text unredacted, is the owner's alone.
    chmodSync(configPath, 0o600);
    expect(statSync(join(dir, 'data', 'kpi-lights.db')).mode & 0o777).toBe(0o600);
    const put = await fetch(`${second.url}/api/v1/policy`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${WRITE_TOKEN}`,
        'x-policy-reason': 'warn earlier',
        'if-match': `"${versions[0].hash}"`,
      },
      body: policy(target, 0.2),
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as PolicyVersionInfo).version).toBe(2);
    expect(readFileSync(configPath, 'utf8')).toBe(policy(target, 0.2));
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    await second.close();

    const third = await start(configPath, join(dir, 'data'));
    expect(third.app.current().version).toMatchObject({ version: 2, reason: 'warn earlier' });
    await third.evaluator.evaluate(at + 60_000);
    expect(third.evaluator.reading('error-rate')?.policyVersion).toBe(2);
  });

  it('refuses a bad policy file with file:line:col issues and leaves nothing open', async () => {
    const dir = tempDir();
    await expect(
      startServer({ configPath: 'test/fixtures/policies/bad-types.yaml', dataDir: dir, port: 0 }),
    ).rejects.toThrow(PolicyError);
  });

  it('reports a taken port and closes the database', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(configPath, policy('http://127.0.0.1:9/metrics'));
    const first = await start(configPath, join(dir, 'a'));
    await expect(
      startServer({ configPath, dataDir: join(dir, 'b'), port: first.port, processMetrics: false }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
