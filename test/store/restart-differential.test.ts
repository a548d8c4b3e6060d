/** Differential after a restart: the same history backfilled into Prometheus 2.42 and into kpi-lights (plus a staleness marker each), range queries over the restarted server's chunk files against Prometheus's. */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import {
  backfill,
  hasPrometheus,
  type RunningPrometheus,
  startPrometheus,
} from '#test-support/prometheus-server.js';
import { answerDifferences } from '#test-support/query-result-diff.js';
import { remoteWrite } from '#test-support/remote-write.js';
import { seededRandom } from '#test-support/seeded-random.js';
import { STALE_NAN } from '../../src/server/model/model.js';
import { createPrometheusSource } from '../../src/server/source/prometheus-source.js';
import { openHead } from '../../src/server/store/open-head.js';
import { havePromtool } from '../promql/oracle/promtool-unit-test.js';
import {
  HOUR_MS,
  historyOpenMetrics,
  type LateSeries,
  lateStaleSeries,
  SAMPLE_MS,
} from './restart-differential-data.js';

const HOURS = 12;
/** Answers further apart than this, relative, differ (sums may add in another order). */
const TOLERANCE = 1e-9;

/**
 * Rates with resets, increase, a histogram's quantile, `*_over_time` over gauges with a NaN and a
 * series that ends, a series with a staleness marker, and aggregations: what KPIs ask of the
 * store.
 */
const QUERIES = [
  'rate(http_requests_total[5m])',
  'increase(http_requests_total[10m])',
  'sum by (code) (rate(http_requests_total[2m]))',
  'sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(request_duration_seconds_bucket[5m])))',
  'rate(request_duration_seconds_sum[5m]) / rate(request_duration_seconds_count[5m])',
  'queue_depth',
  'avg_over_time(queue_depth[10m])',
  'max_over_time(queue_depth[30m])',
  'min_over_time(queue_depth[30m])',
  'sum_over_time(queue_depth[15m])',
  'count_over_time(queue_depth[1h])',
  'quantile_over_time(0.5, queue_depth[20m])',
  'stddev_over_time(queue_depth[20m])',
  'last_over_time(queue_depth[5m])',
  'sum by (queue) (avg_over_time(queue_depth[10m]))',
  'job_up',
  'count_over_time(job_up[10m])',
  'last_over_time(job_up[10m])',
  'sum(job_up) + sum(queue_depth)',
];

const ok = hasPrometheus() && havePromtool();
if (!ok) console.warn('restart differential skipped: prometheus or promtool is not on PATH');

/** The server on `dataDir`, with a policy that scrapes nothing: it serves the backfilled samples. */
async function serve(
  config: string,
  dataDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  const { child } = runCli(
    ['serve', '--config', config, '--port', '0', '--data-dir', dataDir],
    {},
    'node',
  );
  return { child, url: await servedUrl(child, 30_000) };
}

/** Appends `series` to the data folder's store, as a server's scrapes would, and closes it. */
function appendToStore(dataDir: string, series: LateSeries): void {
  const opened = openHead({ storage: { dir: join(dataDir, 'samples') }, log: () => {} });
  try {
    const ref = opened.head.getOrCreate(series.labels);
    for (const { t, v } of series.samples) opened.head.append(ref, t, v);
  } finally {
    opened.close();
  }
}

/** Stops a server the way an operator does (SIGTERM) and waits until it has exited. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!ok)(
  'after a restart, range queries over chunk files match Prometheus 2.42',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-restart-diff-'));
    // Recent, so both retentions keep it; on a whole hour, so Prometheus's blocks line up.
    const startMs = Math.floor((Date.now() - (HOURS + 1) * HOUR_MS) / HOUR_MS) * HOUR_MS;
    let prometheus: RunningPrometheus | undefined;
    let server: ChildProcess | undefined;
    let ourUrl = '';

    beforeAll(async () => {
      const file = join(dir, 'history.om');
      writeFileSync(file, historyOpenMetrics(seededRandom(16), startMs, HOURS));
      backfill(file, join(dir, 'prometheus-data'));
      prometheus = await startPrometheus(join(dir, 'prometheus-data'), dir, {
        flags: ['--web.enable-remote-write-receiver'],
      });
      const late = lateStaleSeries(startMs + HOURS * HOUR_MS, STALE_NAN);
      await remoteWrite(prometheus.url, [late]);

      const dataDir = join(dir, 'data');
      const imported = await runCli(
        ['import', 'openmetrics', file, '--data-dir', dataDir],
        {},
        'node',
      ).done;
      if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
      appendToStore(dataDir, late);
      const config = join(dir, 'kpi-lights.yaml');
      writeFileSync(
        config,
        `targets: []
kpis:
  - id: queue
    title: Queue depth
    query: sum(queue_depth)
    unit: count
    thresholds: { warning: 1e9, critical: 2e9 }
`,
      );
      // Start, stop, start again: the second start reads what the first wrote at its close.
      const first = await serve(config, dataDir);
      await stop(first.child);
      const second = await serve(config, dataDir);
      server = second.child;
      ourUrl = second.url;
    }, 120_000);

    afterAll(async () => {
      if (server) await stop(server);
      await prometheus?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each(QUERIES)('%s', async (expr) => {
      const ours = createPrometheusSource({ url: ourUrl, timeoutMs: 20_000 });
      const theirs = createPrometheusSource({ url: prometheus!.url, timeoutMs: 20_000 });
      // From an hour in (no window holds a counter's first sample, where 2.42 and 3 extrapolate
      // differently) to 40 minutes past the history (the late series and its staleness marker);
      // 7 s off the sample grid, where 2.42's closed left edge and our open one select the same
      // samples.
      const from = startMs + HOUR_MS + 7_000;
      const to = startMs + HOURS * HOUR_MS + 40 * 60_000;
      const step = 2 * SAMPLE_MS;
      const [a, b] = await Promise.all([
        ours.range(expr, from, to, step),
        theirs.range(expr, from, to, step),
      ]);
      expect(b.resultType).toBe('matrix');
      if (b.resultType === 'matrix') expect(b.result.length).toBeGreaterThan(0);
      expect(answerDifferences(a, b, TOLERANCE)).toEqual([]);
    });
  },
);
