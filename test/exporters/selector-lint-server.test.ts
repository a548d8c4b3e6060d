/** The selector lint where users meet it: on `/api/v1/kpis` after a `PUT`, and in `kpi-lights validate`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, recordedTarget } from '#test-support/scraped-head.js';
import type { KpiReading, PolicyVersionInfo } from '../../src/sdk/types.js';
import { main } from '../../src/server/cli/cli.js';
import { bufferIo } from '../../src/server/cli/cli-io.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

const WRITE_TOKEN = 'lint-test-write-token-0123456';

/** The instrumentator recipe's error rate, with the status matcher given. */
function policy(targetUrl: string, status: string): string {
  return `scrape: { interval: 1m, timeout: 5s }
targets:
  - url: ${targetUrl}
    labels: { service: refunds }
kpis:
  - id: refunds-error-rate
    title: Refunds error rate
    query: >
      (sum(rate(http_requests_total{service="refunds",${status},handler!="/metrics"}[5m])) or vector(0))
      / sum(rate(http_requests_total{service="refunds",handler!="/metrics"}[5m]))
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
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

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-lint-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function recorded(name: string) {
  const target = await recordedTarget(fixture(name));
  cleanups.push(() => target.close());
  return target;
}

describe('the selector lint in the server and the CLI', () => {
  it('warns on the first reading after a PUT brings in a matcher that can never match', async () => {
    const target = await recorded('instrumentator-before');
    const dir = tempDir();
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(configPath, policy(target.url, 'status="5xx"'));
    const server: ServerHandle = await startServer({
      configPath,
      dataDir: join(dir, 'data'),
      port: 0,
      processMetrics: false,
      writeBack: false,
    });
    cleanups.push(() => server.close());
    // Two scrapes, so the rates have two samples each.
    const [t] = server.targets();
    expect((await server.scrape.scrapeNow(t.id)).error).toBeNull();
    target.serve(fixture('instrumentator-after'));
    const report = await server.scrape.scrapeNow(t.id);
    expect(report.error).toBeNull();
    const at = report.timestampMs + 1;
    await server.evaluator.evaluate(at);
    const read = async () =>
      ((await (await fetch(`${server.url}/api/v1/kpis`)).json()) as KpiReading[])[0];
    const before = await read();
    expect([before.status, before.warnings]).toEqual(['critical', undefined]);

    const versions = (await (
      await fetch(`${server.url}/api/v1/policy/versions`)
    ).json()) as PolicyVersionInfo[];
    const put = await fetch(`${server.url}/api/v1/policy`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${WRITE_TOKEN}`,
        'x-policy-reason': 'count server errors by code',
        'if-match': `"${versions[0].hash}"`,
      },
      body: policy(target.url, 'status="500"'),
    });
    expect(put.status).toBe(200);
    // The next round is the first under the new version: it already carries the warning.
    await server.evaluator.evaluate(at + 15_000);
    const reading = await read();
    expect([reading.policyVersion, reading.status, reading.value]).toEqual([2, 'ok', 0]);
    expect(reading.warnings).toEqual([
      'http_requests_total{status="500"} can never match: status has 2xx, 4xx, 5xx; "500" matches none',
    ]);
  });

  it('validate scrapes the targets once and places each warning in the file', async () => {
    const target = await recorded('instrumentator-after');
    const dir = tempDir();
    const file = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      file,
      policy(target.url, 'status=~"5[0-9]{2}"').replace(
        'targets:\n',
        'targets:\n  - url: http://127.0.0.1:9/metrics\n    labels: { service: gone }\n',
      ),
    );
    const io = bufferIo();
    expect(await main(['validate', '-c', file], io)).toBe(0);
    expect(io.stdout).toBe(`${file} is valid: 2 targets, 1 KPIs\n`);
    const lines = io.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^note: targets\[0\] http:\/\/127\.0\.0\.1:9\/metrics did not answer \(.+\): selectors it may feed were not checked$/,
    );
    expect(lines[1]).toBe(
      `warning: ${file}:10:12 kpis[0].query: http_requests_total{status=~"5[0-9]{2}"} can never match: status has 2xx, 4xx, 5xx; "5[0-9]{2}" matches none`,
    );
  });
});
