/** The demo end to end: real services and a real KPI server on 127.0.0.1; injected errors turn the light red, and clearing them turns it green. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseEvents } from '#test-support/sse-events.js';
import { type Listening, listen } from '../../demo/listen.js';
import { createEfileService } from '../../demo/services/create-efile-service.js';
import { createStatusService } from '../../demo/services/create-status-service.js';
import { FilingLedger } from '../../demo/services/filing-ledger.js';
import { startTraffic, type Traffic } from '../../demo/traffic.js';
import type { KpiReading, KpiStatus } from '../../src/sdk/types.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

/**
 * Short on purpose: the whole test must finish within {@link TEST_BOUND_MS}, so it is a few
 * two-second windows, not the demo's minute. Traffic is dense enough that a window still holds
 * over a hundred requests, which keeps a 10 % error rate well clear of both thresholds.
 */
const SCRAPE_MS = 250;
const EVAL_MS = 250;
const WINDOW_MS = 2_000;
const TRAFFIC_PER_SECOND = 80;
const TEST_BOUND_MS = 15_000;
/** A status change may take: the window to fill, a scrape to see it, two evaluations, and slack for a busy machine. */
const CHANGE_BOUND_MS = WINDOW_MS + SCRAPE_MS + 2 * EVAL_MS + 2_000;

function policy(efile: string, status: string): string {
  return `
scrape: { interval: ${SCRAPE_MS}ms, timeout: ${SCRAPE_MS}ms }
targets:
  - url: ${efile}/metrics
    labels: { service: efile, agency: IRS, env: demo }
  - url: ${status}/metrics
    labels: { service: status, agency: IRS, env: demo }
kpis:
  - id: efile-error-rate
    title: E-file error rate
    query: >
      (sum(rate(http_requests_total{agency="IRS",status=~"5.."}[${WINDOW_MS}ms])) or vector(0))
      / sum(rate(http_requests_total{agency="IRS"}[${WINDOW_MS}ms]))
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
evaluation: { interval: ${EVAL_MS}ms }
`;
}

/** Every `kpi` event status of one KPI the stream delivers, in order. */
async function followStream(url: string, id: string, seen: KpiStatus[], signal: AbortSignal) {
  try {
    for await (const e of sseEvents(await fetch(`${url}/api/v1/stream`, { signal }))) {
      if (e.event !== 'kpi') continue;
      const reading = JSON.parse(e.data) as KpiReading;
      if (reading.id === id) seen.push(reading.status);
    }
  } catch {
    // Aborted at the end of the test.
  }
}

describe('demo: error injection through the knobs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-lights-demo-'));
  const ledger = new FilingLedger();
  // Little simulated work: the point is the error rate, and the machine is shared.
  const efile = createEfileService({ ledger, workMs: [1, 3] });
  const status = createStatusService({ ledger, workMs: [1, 3] });
  const streamed: KpiStatus[] = [];
  const abort = new AbortController();
  let efileServer: Listening;
  let statusServer: Listening;
  let kpi: ServerHandle;
  let traffic: Traffic;

  beforeAll(async () => {
    efileServer = await listen(efile.app, 0);
    statusServer = await listen(status.app, 0);
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(configPath, policy(efileServer.url, statusServer.url));
    kpi = await startServer({
      configPath,
      port: 0,
      host: '127.0.0.1',
      dataDir: join(dir, 'data'),
      writeBack: false,
      processMetrics: false,
      // Ten minutes of samples is plenty for a fifteen-second test.
      headRetentionMs: 600_000,
    });
    void followStream(kpi.url, 'efile-error-rate', streamed, abort.signal);
    traffic = startTraffic({
      efileUrl: efileServer.url,
      statusUrl: statusServer.url,
      ratePerSecond: TRAFFIC_PER_SECOND,
      durationMs: TEST_BOUND_MS,
    });
  });

  afterAll(async () => {
    abort.abort();
    await traffic?.stop();
    await kpi?.close();
    await Promise.all([efileServer?.close(), statusServer?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function reading(): Promise<KpiReading | undefined> {
    const res = await fetch(`${kpi.url}/api/v1/kpis/efile-error-rate`);
    return res.ok ? ((await res.json()) as KpiReading) : undefined;
  }

  /** Polls the KPI until it has `want`; answers how long that took, or fails after `boundMs`. */
  async function until(want: KpiStatus, boundMs: number): Promise<number> {
    const t0 = Date.now();
    let last: KpiReading | undefined;
    while (Date.now() - t0 <= boundMs) {
      last = await reading();
      if (last?.status === want) return Date.now() - t0;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `efile-error-rate not ${want} within ${boundMs} ms; last: ${JSON.stringify(last)}`,
    );
  }

  const setKnobs = async (body: object) => {
    for (const url of [efileServer.url, statusServer.url]) {
      const res = await fetch(`${url}/_knobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
  };

  it(
    'turns critical at 10 % errors within two evaluations of the window filling, and ok once cleared',
    async () => {
      // Healthy first: the window has filled with good requests.
      await until('ok', WINDOW_MS + 4_000);
      const healthy = await reading();
      expect(healthy?.value).toBe(0);

      await setKnobs({ errorRate: 0.1 });
      const toCritical = await until('critical', CHANGE_BOUND_MS);
      const failing = await reading();
      // About 10 %, with the noise of a hundred-odd requests in a two-second window.
      expect(failing?.value).toBeGreaterThan(0.03);
      expect(failing?.value).toBeLessThan(0.25);

      await setKnobs({ errorRate: 0 });
      const toOk = await until('ok', CHANGE_BOUND_MS);

      expect(traffic.stats.serverErrors).toBeGreaterThan(0);
      expect(traffic.stats.failed).toBe(0);
      // The stream told viewers the same story, in order.
      const critical = streamed.indexOf('critical');
      expect(critical).toBeGreaterThanOrEqual(0);
      expect(streamed.lastIndexOf('ok')).toBeGreaterThan(critical);
      console.log(
        `error-rate light: critical after ${toCritical} ms, ok again after ${toOk} ms (bound ${CHANGE_BOUND_MS} ms); ` +
          `traffic ${JSON.stringify(traffic.stats)}; stream statuses ${streamed.join(' → ')}`,
      );
    },
    TEST_BOUND_MS,
  );
});
