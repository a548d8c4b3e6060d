/** The demo autoscaler: its pure decisions on scripted readings, and one short real run. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '#test-support/wait-for.js';
import { runAutoscaler } from '../../demo/autoscaler.js';
import { listen } from '../../demo/listen.js';
import {
  decideScaling,
  initialScaling,
  type ScalingRules,
  type ScalingState,
} from '../../demo/scaling-decision.js';
import { createEfileService } from '../../demo/services/create-efile-service.js';
import { Knobs } from '../../demo/services/knobs.js';
import { WorkerPool } from '../../demo/services/worker-pool.js';
import { startTraffic } from '../../demo/traffic.js';
import type { KpiReading, KpiStatus } from '../../src/sdk/index.js';
import { startServer } from '../../src/server/compose/start-server.js';

const T = Date.UTC(2026, 10, 24, 12);
const RULES: ScalingRules = {
  scaleOn: 'latency',
  holdOn: ['errors'],
  minWorkers: 1,
  maxWorkers: 3,
  upAfter: 2,
  downAfter: 3,
};

const reading = (id: string, status: KpiStatus, extra: Partial<KpiReading> = {}): KpiReading => ({
  id,
  title: id,
  unit: 'seconds',
  direction: 'higher-is-worse',
  thresholds: { warning: 0.5, critical: 1.5 },
  value: status === 'unknown' ? null : 0.1,
  status,
  evaluatedAt: new Date(T).toISOString(),
  policyVersion: 4,
  stale: false,
  staleAfter: new Date(T + 10_000).toISOString(),
  ...extra,
});

/** Feeds readings in order and answers the actions and final state. */
function script(state: ScalingState, readings: KpiReading[], now = T) {
  const actions: string[] = [];
  for (const r of readings) {
    const d = decideScaling(state, r, RULES, now);
    actions.push(d.action);
    state = d.state;
  }
  return { actions, state };
}

describe('decideScaling', () => {
  it('scales up after consecutive latency breaches, which other KPIs do not interrupt', () => {
    const { actions, state } = script(initialScaling(1), [
      reading('latency', 'warning'),
      reading('errors', 'ok'),
      reading('latency', 'critical'),
      reading('latency', 'warning'),
      reading('latency', 'ok'),
      reading('latency', 'warning'),
      reading('latency', 'warning'),
      reading('latency', 'critical'),
      reading('latency', 'critical'),
    ]);
    expect(actions).toEqual(['hold', 'hold', 'up', 'hold', 'hold', 'hold', 'up', 'hold', 'hold']);
    expect(state.workers).toBe(3); // bounded by maxWorkers
  });

  it('does not move on stale or unknown readings', () => {
    const start = { ...initialScaling(2), breaches: 1 };
    const { actions, state } = script(start, [
      reading('latency', 'critical', { stale: true }),
      reading('latency', 'unknown', { reason: 'no data' }),
      reading('latency', 'critical', { staleAfter: new Date(T - 1).toISOString() }),
    ]);
    expect(actions).toEqual(['refuse', 'refuse', 'refuse']);
    expect(state).toBe(start);
    const d = decideScaling(start, reading('latency', 'critical', { stale: true }), RULES, T);
    expect(d.reason).toMatch(/refusing to act on latency: the server marked it stale/);
  });

  it('scales down after consecutive healthy readings, never while errors breach, not below min', () => {
    const { actions, state } = script(initialScaling(3), [
      reading('latency', 'ok'),
      reading('errors', 'warning'),
      reading('latency', 'ok'),
      reading('errors', 'ok'),
      reading('latency', 'ok'),
      reading('latency', 'ok'),
      reading('latency', 'ok'),
      reading('latency', 'ok'),
      reading('latency', 'ok'),
      reading('latency', 'ok'),
      reading('latency', 'ok'),
    ]);
    expect(actions).toEqual([
      'hold',
      'hold',
      'hold',
      'hold',
      'hold',
      'down',
      'hold',
      'hold',
      'down',
      'hold',
      'hold',
    ]);
    expect(state.workers).toBe(1);
  });
});

describe('runAutoscaler on a real service and KPI server', () => {
  it('adds workers while latency is injected and removes them once it is cleared', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-autoscaler-'));
    const knobs = new Knobs();
    const pool = new WorkerPool(1);
    const efile = await listen(createEfileService({ knobs, pool, workMs: [5, 10] }).app, 0);
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      configPath,
      `scrape: { interval: 1s, timeout: 500ms }
targets:
  - url: ${efile.url}/metrics
    labels: { service: efile, agency: IRS, env: demo }
kpis:
  - id: efile-latency
    title: Latency
    query: sum(rate(http_request_duration_seconds_sum[3s])) / sum(rate(http_request_duration_seconds_count[3s]))
    unit: seconds
    thresholds: { warning: 0.1, critical: 0.5 }
  - id: efile-error-rate
    title: Errors
    query: (sum(rate(http_requests_total{status=~"5.."}[3s])) or vector(0)) / sum(rate(http_requests_total[3s]))
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
evaluation: { interval: 1s }
`,
    );
    const server = await startServer({
      configPath,
      port: 0,
      dataDir: join(dir, 'data'),
      processMetrics: false,
      report: () => {},
    });
    const traffic = startTraffic({
      efileUrl: efile.url,
      statusUrl: efile.url,
      ratePerSecond: 30,
      statusShare: 0,
    });
    const lines: string[] = [];
    const stop = new AbortController();
    const running = runAutoscaler({
      kpiUrl: server.url,
      poolUrl: `${efile.url}/_knobs/workers`,
      rules: {
        scaleOn: 'efile-latency',
        holdOn: ['efile-error-rate'],
        minWorkers: 1,
        maxWorkers: 6,
        upAfter: 2,
        downAfter: 2,
      },
      log: (line) => lines.push(line),
      signal: stop.signal,
    });
    try {
      knobs.set({ extraLatencyMs: 150 });
      await waitFor(() => pool.size >= 3, { timeoutMs: 20_000 });
      knobs.set({ extraLatencyMs: 0 });
      const peak = pool.size;
      await waitFor(() => pool.size < peak, { timeoutMs: 20_000 });
      stop.abort();
      await running;
      expect(
        lines.some((l) =>
          / up workers 1→2: efile-latency=[\d.]+ \((warning|critical), policy v1\)/.test(l),
        ),
      ).toBe(true);
      expect(lines.some((l) => / down workers \d→\d: /.test(l))).toBe(true);
    } finally {
      stop.abort();
      await running.catch(() => {});
      await traffic.stop();
      await server.close();
      await efile.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
