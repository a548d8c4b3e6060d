/** Our own `/metrics`, and an instrumented service's, pass `promtool check metrics`. */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createExporter } from '../../src/exporter/index.js';
import { COUNTER_NAMED_GAUGES } from '../../src/exporter/process-metrics.js';
import { startServer } from '../../src/server/compose/start-server.js';

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasPromtool) console.warn('skipping promtool check metrics: no promtool on PATH');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** `promtool check metrics` over `text` on stdin: its exit code and what it said. */
function checkMetrics(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
    child.stdin?.end(text);
  });
}

describe.skipIf(!hasPromtool)('promtool check metrics', () => {
  it("passes on the KPI server's /metrics, process metrics included", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-metrics-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'kpi-lights.yaml'),
      'kpis:\n  - { id: up, title: Up, query: sum(up), unit: count, thresholds: { warning: 1, critical: 2 } }\n',
    );
    const server = await startServer({
      configPath: join(dir, 'kpi-lights.yaml'),
      port: 0,
      dataDir: join(dir, 'data'),
      report: () => {},
    });
    cleanups.push(() => server.close());
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('nodejs_active_handles{');
    expect(text).toContain('process_cpu_seconds_total');
    expect(await checkMetrics(text)).toEqual({ code: 0, output: '' });
  });

  it("passes on an instrumented service's /metrics with process metrics", async () => {
    const exporter = createExporter({ processMetrics: true, constLabels: { service: 'efile' } });
    const app = new Hono().use(exporter.middleware).get('/metrics', exporter.handler);
    await app.request('/metrics');
    const text = await (await app.request('/metrics')).text();
    expect(await checkMetrics(text)).toEqual({ code: 0, output: '' });
  });
});

describe('the gauges left out', () => {
  it('are each the sum of the labelled gauge kept beside it', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const json = await registry.getMetricsAsJSON();
    const value = (name: string) =>
      json.find((m) => m.name === name)?.values.reduce((sum, v) => sum + v.value, 0);
    for (const total of COUNTER_NAMED_GAUGES) {
      expect(value(total.replace(/_total$/, '')), total).toBe(value(total));
    }
  });
});
