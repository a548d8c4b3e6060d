/** kpi-lights and a real Prometheus scraping the same two targets, for tests that ask both the same thing. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { exportPrometheus, RULE_FILE } from '../../src/server/alerts/config-export/index.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';
import { type LocalServer, serveLocal } from './local-server.js';
import { hasPrometheus, type RunningPrometheus, startPrometheus } from './prometheus-server.js';
import { waitFor } from './wait-for.js';

export const SIDE_READ_TOKEN = 'side-by-side-read-token-0123456789';

/** The e-file service's exposition: constant, so both scrapers read the same values at any offset. */
const EFILE_METRICS = `# HELP queue_depth Items waiting in the queue.
# TYPE queue_depth gauge
queue_depth{queue="filings"} 7
queue_depth{queue="refunds"} 2
# HELP requests_total Requests handled.
# TYPE requests_total counter
requests_total{code="200"} 970
requests_total{code="500"} 30
# HELP request_duration_seconds Time to answer a request.
# TYPE request_duration_seconds histogram
request_duration_seconds_bucket{le="0.1"} 500
request_duration_seconds_bucket{le="1"} 900
request_duration_seconds_bucket{le="+Inf"} 1000
request_duration_seconds_sum 300
request_duration_seconds_count 1000
`;

const STATUS_METRICS = `# HELP build_info Which build runs.
# TYPE build_info gauge
build_info{version="1.2.3"} 1
# HELP queue_depth Items waiting in the queue.
# TYPE queue_depth gauge
queue_depth{queue="status"} 1
`;

/**
 * The policy both sides run: two targets scraped every second, two KPIs, an alert that fires
 * (3 % errors is at the critical threshold).
 */
function policyText(efile: string, status: string, read: 'public' | 'token'): string {
  return `scrape: { interval: 1s, timeout: 500ms }
targets:
  - url: ${efile}/metrics
    labels: { service: efile, agency: IRS }
  - url: ${status}/metrics
    labels: { service: status }
kpis:
  - id: queue-depth
    title: Queue depth
    query: sum(queue_depth)
    unit: count
    thresholds: { warning: 20, critical: 50 }
  - id: error-ratio
    title: Error ratio
    query: sum(requests_total{code=~"5.."}) / sum(requests_total)
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
alerts:
  - name: ErrorRatioHigh
    kpi: error-ratio
    when: critical
    for: 2s
    severity: page
    summary: "{{ $kpi }} is {{ $value }}, at or above {{ $threshold }}"
auth:
  read: ${read}
  tokens:
    - { name: grafana, token: ${SIDE_READ_TOKEN}, scopes: [read] }
evaluation: { interval: 1s }
`;
}

/** Both servers, their targets, and the clean-up. */
export interface SideBySide {
  readonly kpi: ServerHandle;
  /** kpi-lights's Prometheus data source URL: `<server>/prometheus`. */
  readonly kpiUrl: string;
  readonly prometheus: RunningPrometheus;
  readonly targets: readonly LocalServer[];
  close(): Promise<void>;
}

/** Options of {@link startSideBySide}. */
export interface SideBySideOptions {
  /** Whether reading kpi-lights needs {@link SIDE_READ_TOKEN}. Default public. */
  readonly read?: 'public' | 'token';
}

/**
 * Starts the two targets, kpi-lights scraping them, and a Prometheus configured with what
 * kpi-lights itself says its configuration is (`/prometheus/api/v1/status/config`) plus the
 * rules `kpi-lights export prometheus-rules` writes; then waits until both have scraped every
 * target a few times. Call {@link hasPrometheus} first and skip without it.
 *
 * @example
 * ```ts
 * const both = await startSideBySide();
 * try { … } finally { await both.close(); }
 * ```
 */
export async function startSideBySide(options: SideBySideOptions = {}): Promise<SideBySide> {
  const cleanups: (() => unknown)[] = [];
  const close = async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  };
  try {
    const efile = await serveLocal(
      new Hono().get('/metrics', (c) =>
        c.text(EFILE_METRICS, 200, { 'content-type': 'text/plain; version=0.0.4' }),
      ),
    );
    cleanups.push(() => efile.close());
    const status = await serveLocal(
      new Hono().get('/metrics', (c) =>
        c.text(STATUS_METRICS, 200, { 'content-type': 'text/plain; version=0.0.4' }),
      ),
    );
    cleanups.push(() => status.close());
    const dir = mkdtempSync(join(tmpdir(), 'kpi-side-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(configPath, policyText(efile.url, status.url, options.read ?? 'public'));
    const kpi = await startServer({
      configPath,
      port: 0,
      dataDir: join(dir, 'data'),
      processMetrics: false,
      report: () => {},
    });
    cleanups.push(() => kpi.close());
    const kpiUrl = `${kpi.url}/prometheus`;
    const headers = { authorization: `Bearer ${SIDE_READ_TOKEN}` };
    const config = (await (await fetch(`${kpiUrl}/api/v1/status/config`, { headers })).json()) as {
      data: { yaml: string };
    };
    const promDir = join(dir, 'prometheus');
    mkdirSync(promDir);
    writeFileSync(join(promDir, RULE_FILE), exportPrometheus(kpi.app.current().policy).rules);
    const prometheus = await startPrometheus(join(promDir, 'data'), promDir, {
      config: config.data.yaml,
    });
    cleanups.push(() => prometheus.stop());
    // Both have scraped both targets eight times: a range a few seconds back has data on both.
    const scrapes = async (url: string, init?: RequestInit) => {
      const res = await fetch(
        `${url}/api/v1/query?query=${encodeURIComponent('count_over_time(up[1m])')}`,
        init,
      );
      const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
      const counts = body.data?.result?.map((r) => Number(r.value[1])) ?? [];
      return counts.length === 2 && counts.every((n) => n >= 8);
    };
    await waitFor(
      async () => (await scrapes(kpiUrl, { headers })) && (await scrapes(prometheus.url)),
      {
        timeoutMs: 30_000,
        everyMs: 250,
      },
    );
    return { kpi, kpiUrl, prometheus, targets: [efile, status], close };
  } catch (err) {
    await close();
    throw err;
  }
}

export { hasPrometheus };
