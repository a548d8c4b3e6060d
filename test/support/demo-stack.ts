/** The whole demo on free loopback ports, with scaled-down intervals: services, traffic, KPI server and agency page. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { listen } from '../../demo/listen.js';
import { createPageServer } from '../../demo/page-server.js';
import { createEfileService } from '../../demo/services/create-efile-service.js';
import { createStatusService } from '../../demo/services/create-status-service.js';
import { FilingLedger } from '../../demo/services/filing-ledger.js';
import { startTraffic } from '../../demo/traffic.js';
import { startServer } from '../../src/server/compose/start-server.js';

/** Options of {@link startDemoStack}; every field is optional. */
export interface DemoStackOptions {
  /** Scrape and evaluation interval, ms. Default 250. */
  readonly intervalMs?: number;
  /** The KPIs' rate window, ms. Default 2 000. */
  readonly windowMs?: number;
  /** Requests per second of generated traffic. Default 80. */
  readonly trafficPerSecond?: number;
  /** Traffic stops by itself after this long, ms. Default 60 000. */
  readonly trafficMs?: number;
}

/** A running demo: its URLs, the knobs of both services, and the one `close`. */
export interface DemoStack {
  /** The agency page, on its own origin. */
  readonly pageUrl: string;
  /** The KPI server, which also serves `/embed.js`. */
  readonly kpiUrl: string;
  /** Sets the same knobs (e.g. `{ errorRate: 0.5 }`) on both services. */
  setKnobs(body: object): Promise<void>;
  close(): Promise<void>;
}

/** The demo policy's board KPIs (the fast-filings one with its objective), with windows short enough for a test. */
function policy(o: { efile: string; status: string; page: string; ms: number; window: number }) {
  return `
scrape: { interval: ${o.ms}ms, timeout: ${o.ms}ms }
targets:
  - url: ${o.efile}/metrics
    labels: { service: efile, agency: IRS, env: demo }
  - url: ${o.status}/metrics
    labels: { service: status, agency: IRS, env: demo }
kpis:
  - id: efile-error-rate
    title: E-file error rate
    query: >
      (sum(rate(http_requests_total{agency="IRS",status=~"5.."}[${o.window}ms])) or vector(0))
      / sum(rate(http_requests_total{agency="IRS"}[${o.window}ms]))
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
  - id: efile-latency
    title: E-file average latency
    query: >
      sum(rate(http_request_duration_seconds_sum{agency="IRS"}[${o.window}ms]))
      / sum(rate(http_request_duration_seconds_count{agency="IRS"}[${o.window}ms]))
    unit: seconds
    thresholds: { warning: 0.5, critical: 1.5 }
  - id: efile-fast-filings
    title: E-filings answered under 2 s
    query: >
      sum(rate(http_request_duration_seconds_bucket{service="efile",route="/filings",le="2"}[${o.window}ms]))
      / sum(rate(http_request_duration_seconds_count{service="efile",route="/filings"}[${o.window}ms]))
    unit: percent
    direction: lower-is-worse
    objective: 0.99
    thresholds: { warning: 0.995, critical: 0.99 }
cors:
  origins: [${o.page}]
evaluation: { interval: ${o.ms}ms }
`;
}

/**
 * Starts the demo's parts as `npm start` does, but on free ports and with short intervals. The
 * page server listens first, through a stand-in, because the KPI server's CORS allowlist needs
 * the page's origin and the page needs the KPI server's.
 *
 * @example
 * ```ts
 * const demo = await startDemoStack();
 * await page.goto(demo.pageUrl);
 * await demo.setKnobs({ errorRate: 0.5 });
 * await demo.close();
 * ```
 */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const { intervalMs = 250, windowMs = 2_000, trafficPerSecond = 80, trafficMs = 60_000 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'kpi-lights-demo-stack-'));
  const ledger = new FilingLedger();
  // Little simulated work: the point is the lights, and the machine is shared.
  const efile = createEfileService({ ledger, workMs: [1, 3] });
  const status = createStatusService({ ledger, workMs: [1, 3] });
  const efileServer = await listen(efile.app, 0);
  const statusServer = await listen(status.app, 0);
  let pageApp: Hono | undefined;
  const standIn = new Hono().all('*', (c) => pageApp?.fetch(c.req.raw) ?? c.text('starting', 503));
  const pageServer = await listen(standIn, 0);
  const configPath = join(dir, 'kpi-lights.yaml');
  writeFileSync(
    configPath,
    policy({
      efile: efileServer.url,
      status: statusServer.url,
      page: pageServer.url,
      ms: intervalMs,
      window: windowMs,
    }),
  );
  const kpi = await startServer({
    configPath,
    port: 0,
    host: '127.0.0.1',
    dataDir: join(dir, 'data'),
    writeBack: false,
    processMetrics: false,
    headRetentionMs: 600_000,
  });
  pageApp = createPageServer({ apiOrigin: kpi.url, onAlert: () => {} });
  const traffic = startTraffic({
    efileUrl: efileServer.url,
    statusUrl: statusServer.url,
    ratePerSecond: trafficPerSecond,
    durationMs: trafficMs,
  });
  return {
    pageUrl: `${pageServer.url}/`,
    kpiUrl: kpi.url,
    async setKnobs(body) {
      for (const url of [efileServer.url, statusServer.url]) {
        const res = await fetch(`${url}/_knobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${url}/_knobs answered ${res.status}`);
      }
    },
    async close() {
      await traffic.stop();
      await kpi.close();
      await Promise.all([pageServer.close(), efileServer.close(), statusServer.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
