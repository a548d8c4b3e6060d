/** PromQL engine benchmark: our engine vs a real Prometheus, same data, same HTTP query API. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { backfill, startPrometheus } from '#test-support/prometheus-server.js';
import { flattenResult, maxRelDiff } from '#test-support/query-result-diff.js';
import { createQueryRoutes } from '../src/server/api/routes/query.js';
import type { QueryResult } from '../src/server/promql/result.js';
import { createPrometheusSource } from '../src/server/source/prometheus-source.js';
import type { QuerySource } from '../src/server/source/query-source.js';
import { createHead } from '../src/server/store/memory-head.js';
import {
  type BenchDataShape,
  benchSeries,
  writeOpenMetrics,
} from './prometheus/engine-bench-data.js';

export interface PromqlBenchOptions {
  /** Hours of data at 10 s. Default 24. */
  readonly hours?: number;
  /** Measured rounds per range query and side; instant queries, being short, get 4× as many. Default 5. */
  readonly rounds?: number;
  /** Range query steps. Default 1 000. */
  readonly steps?: number;
}

export interface PromqlBenchRow {
  readonly query: string;
  readonly kind: 'instant' | 'range';
  readonly seriesSteps: number;
  readonly oursMs: number | undefined;
  readonly promMs: number;
  /** Series in Prometheus's answer. */
  readonly resultSeries: number;
  /** Largest relative difference between the two answers; undefined without ours. */
  readonly maxRelDiff: number | undefined;
}

const QUERIES: ReadonlyArray<{ expr: string; inputSeries: number }> = [
  { expr: 'rate(a[1m])', inputSeries: 100 },
  { expr: 'sum by (le) (rate(h_bucket[1m]))', inputSeries: 1100 },
  { expr: 'rate(a[1m]) / rate(b[1m])', inputSeries: 200 },
  { expr: 'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))', inputSeries: 1100 },
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function timed(run: () => Promise<QueryResult>): Promise<[number, QueryResult]> {
  const t0 = performance.now();
  const r = await run();
  return [performance.now() - t0, r];
}

async function startOurs(shape: BenchDataShape, series: ReturnType<typeof benchSeries>) {
  let engineModule: typeof import('../src/server/promql/index.js');
  let sourceModule: typeof import('../src/server/source/embedded-source.js');
  try {
    engineModule = await import('../src/server/promql/index.js');
    sourceModule = await import('../src/server/source/embedded-source.js');
  } catch (err) {
    console.log(
      `our engine is not available (${(err as Error).message}); measuring Prometheus alone`,
    );
    return undefined;
  }
  const t0 = performance.now();
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (const s of series) {
    const ref = head.getOrCreate(s.labels);
    for (let i = 0; i < shape.points; i++)
      head.append(ref, shape.startMs + i * shape.intervalMs, s.valueAt(i));
  }
  console.log(`loaded our head in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const engine = new engineModule.PromqlEngine(head, { maxSamples: 500_000_000 });
  const app = new Hono().route(
    '/api/v1',
    createQueryRoutes({ source: sourceModule.createEmbeddedSource(engine) }),
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    source: createPrometheusSource({ url: `http://127.0.0.1:${port}`, timeoutMs: 600_000 }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Runs the benchmark and prints a table; returns the rows.
 * @example await runPromqlBench({ hours: 6, rounds: 3 })
 */
export async function runPromqlBench(options: PromqlBenchOptions = {}): Promise<PromqlBenchRow[]> {
  const hours = options.hours ?? 24;
  const rounds = options.rounds ?? 5;
  const intervalMs = 10_000;
  const points = Math.round((hours * 3_600_000) / intervalMs);
  // Recent data, so Prometheus's retention keeps it; a whole hour, so blocks align.
  const startMs = Math.floor(Date.now() / 3_600_000) * 3_600_000 - hours * 3_600_000;
  const shape: BenchDataShape = { series: 100, intervalMs, points, startMs };
  const series = benchSeries(shape);
  // Every evaluation time sits 5 s off the 10 s grid, where Prometheus 2 and 3 range bounds agree.
  const endMs = startMs + (points - 1) * intervalMs - 5_000;
  const spanMs = endMs - startMs - 600_000;
  const wantedSteps = options.steps ?? 1000;
  const stepMs = Math.max(
    10_000,
    Math.min(60_000, Math.floor(spanMs / (wantedSteps - 1) / 10_000) * 10_000),
  );
  const steps = Math.min(wantedSteps, Math.floor(spanMs / stepMs) + 1);
  const rangeStartMs = endMs - (steps - 1) * stepMs;

  const work = mkdtempSync(join(tmpdir(), 'kpi-promql-bench-'));
  let prom: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  let ours: Awaited<ReturnType<typeof startOurs>>;
  const onSignal = () => {
    void Promise.resolve(prom?.stop()).finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    console.log(
      `data: ${series.length} series × ${points} samples (${hours} h at 10 s); range: ${steps} steps of ${stepMs / 1000} s`,
    );
    let t0 = performance.now();
    const omFile = join(work, 'data.om.txt');
    writeOpenMetrics(omFile, shape, series);
    backfill(omFile, join(work, 'data'));
    rmSync(omFile);
    console.log(
      `wrote and backfilled Prometheus blocks in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    t0 = performance.now();
    prom = await startPrometheus(join(work, 'data'), work);
    console.log(`prometheus ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const theirs: QuerySource = createPrometheusSource({ url: prom.url, timeoutMs: 600_000 });
    ours = await startOurs(shape, series);

    const rows: PromqlBenchRow[] = [];
    for (const { expr, inputSeries } of QUERIES) {
      for (const kind of ['instant', 'range'] as const) {
        const run = (src: QuerySource) =>
          kind === 'instant'
            ? src.instant(expr, endMs)
            : src.range(expr, rangeStartMs, endMs, stepMs);
        const oursT: number[] = [];
        const promT: number[] = [];
        let oursR: QueryResult | undefined;
        let promR: QueryResult | undefined;
        // Warm-ups each, then alternate who goes first so neither always runs on a warm cache.
        // Instant queries take milliseconds, so they get more rounds against the noise.
        const n = kind === 'instant' ? rounds * 4 : rounds;
        const warm = kind === 'instant' ? 4 : 1;
        // A clean heap per query (run with --expose-gc), before the warm-ups: a forced full GC
        // right before each timed run would shrink V8's young generation and slow the next run.
        gc?.();
        for (let round = -warm; round < n; round++) {
          const order = (round & 1) === 0 ? ['ours', 'prom'] : ['prom', 'ours'];
          for (const who of order) {
            if (who === 'ours' && ours) {
              const source = ours.source;
              const [ms, r] = await timed(() => run(source));
              if (round >= 0) oursT.push(ms);
              oursR = r;
            } else if (who === 'prom') {
              const [ms, r] = await timed(() => run(theirs));
              if (round >= 0) promT.push(ms);
              promR = r;
            }
          }
        }
        rows.push({
          query: expr,
          kind,
          seriesSteps: inputSeries * (kind === 'instant' ? 1 : steps),
          oursMs: oursT.length > 0 ? median(oursT) : undefined,
          promMs: median(promT),
          resultSeries: promR ? flattenResult(promR).size : 0,
          maxRelDiff: oursR && promR ? maxRelDiff(oursR, promR) : undefined,
        });
      }
    }
    printRows(rows);
    return rows;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await ours?.close();
    await prom?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Answers further apart than this, relative, are a correctness bug. */
const AGREE_REL = 1e-9;

function printRows(rows: readonly PromqlBenchRow[]): void {
  const ns = (ms: number, n: number) => ((ms * 1e6) / n).toFixed(0);
  console.log(
    `\n${'query'.padEnd(58)} ${'kind'.padEnd(7)} ${'ours ms'.padStart(8)} ${'prom ms'.padStart(8)} ` +
      `${'ours ns/ser-step'.padStart(16)} ${'prom ns/ser-step'.padStart(16)} ${'ours/prom'.padStart(9)} ` +
      `${'series'.padStart(6)}  max rel diff`,
  );
  const disagree: PromqlBenchRow[] = [];
  for (const r of rows) {
    const ratio = r.oursMs === undefined ? '-' : (r.oursMs / r.promMs).toFixed(2);
    let agree = '-';
    if (r.maxRelDiff !== undefined) {
      const bad = !(r.maxRelDiff <= AGREE_REL);
      if (bad) disagree.push(r);
      agree = `${r.maxRelDiff === 0 ? '0' : r.maxRelDiff.toExponential(1)}${bad ? '  <-- MISMATCH' : ''}`;
    }
    console.log(
      `${r.query.padEnd(58)} ${r.kind.padEnd(7)} ${(r.oursMs?.toFixed(1) ?? '-').padStart(8)} ${r.promMs.toFixed(1).padStart(8)} ` +
        `${(r.oursMs === undefined ? '-' : ns(r.oursMs, r.seriesSteps)).padStart(16)} ${ns(r.promMs, r.seriesSteps).padStart(16)} ` +
        `${ratio.padStart(9)} ${String(r.resultSeries).padStart(6)}  ${agree}`,
    );
  }
  const ratios = rows.flatMap((r) => (r.oursMs === undefined ? [] : [r.oursMs / r.promMs]));
  if (ratios.length > 0) {
    console.log(
      `\nmedian ours/prom: ${median(ratios).toFixed(2)} (worst ${Math.max(...ratios).toFixed(2)}; goal ≤ 2)`,
    );
  }
  if (disagree.length > 0) {
    console.log(
      `\n!!! ANSWERS DIFFER FROM PROMETHEUS beyond ${AGREE_REL} relative in ${disagree.length} case(s): ` +
        disagree.map((r) => `${r.query} (${r.kind})`).join('; '),
    );
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.split('=')[1]) : undefined;
  };
  runPromqlBench({ hours: arg('hours'), rounds: arg('rounds'), steps: arg('steps') }).catch(
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
