/** PromQL engine benchmark: our engine over its data folder, after a restart, vs a real Prometheus on the same data, same HTTP query API. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  backfill,
  type RunningPrometheus,
  startPrometheus,
} from '#test-support/prometheus-server.js';
import { flattenResult, maxRelDiff } from '#test-support/query-result-diff.js';
import type { QueryResult } from '../src/server/promql/result.js';
import { createPrometheusSource } from '../src/server/source/prometheus-source.js';
import type { QuerySource } from '../src/server/source/query-source.js';
import {
  type BenchDataShape,
  benchSeries,
  longBenchSeries,
  writeOpenMetrics,
} from './prometheus/engine-bench-data.js';
import { type StoredEngineServer, startStoredEngine } from './prometheus/stored-engine-server.js';

export interface PromqlBenchOptions {
  /** Hours of data at 10 s for the engine-benchmark set. Default 24. */
  readonly hours?: number;
  /** Days of data at 10 s for the long set (the 3 d queries). Default 3. */
  readonly days?: number;
  /** Measured rounds per range query and side; instant queries, being short, get 4× as many. Default 5. */
  readonly rounds?: number;
  /** Range query steps. Default 1 000. */
  readonly steps?: number;
}

export interface PromqlBenchRow {
  readonly query: string;
  readonly kind: 'instant' | 'range';
  readonly seriesSteps: number;
  readonly oursMs: number;
  readonly promMs: number;
  /** Series in Prometheus's answer. */
  readonly resultSeries: number;
  /** Largest relative difference between the two answers. */
  readonly maxRelDiff: number;
}

type Kind = PromqlBenchRow['kind'];

/** A query of the benchmark; a `long` one runs over the long set's whole span, as a range only. */
interface BenchQuery {
  readonly expr: string;
  readonly inputSeries: number;
  readonly long?: boolean;
}

const QUERIES: readonly BenchQuery[] = [
  { expr: 'rate(a[1m])', inputSeries: 100 },
  { expr: 'sum by (le) (rate(h_bucket[1m]))', inputSeries: 1100 },
  { expr: 'rate(a[1m]) / rate(b[1m])', inputSeries: 200 },
  { expr: 'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))', inputSeries: 1100 },
  { expr: 'rate(c[5m])', inputSeries: 100, long: true },
  { expr: 'sum(rate(c[1h]))', inputSeries: 100, long: true },
];

const INTERVAL_MS = 10_000;
const HOUR_MS = 3_600_000;

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

/** A range query's times: it ends at the data's last scrape, 5 s off the scrape grid. */
interface RangePlan {
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly steps: number;
}

/**
 * The steps over `spanMs` before `endMs`: whole 10 s, at least 10 s, at most `maxStepMs`, about
 * `wantedSteps` of them.
 */
function rangePlan(
  endMs: number,
  spanMs: number,
  wantedSteps: number,
  maxStepMs: number,
): RangePlan {
  const even = Math.ceil(spanMs / (wantedSteps - 1) / INTERVAL_MS) * INTERVAL_MS;
  const stepMs = Math.max(INTERVAL_MS, Math.min(maxStepMs, even));
  const steps = Math.min(wantedSteps, Math.floor(spanMs / stepMs) + 1);
  return { startMs: endMs - (steps - 1) * stepMs, endMs, stepMs, steps };
}

/** Both data sets, ending together on a whole hour's last scrape, and the ranges over them. */
function planData(options: PromqlBenchOptions) {
  const hours = options.hours ?? 24;
  const days = options.days ?? 3;
  const wanted = options.steps ?? 1000;
  // Recent data, so Prometheus's retention keeps it; whole hours, so blocks align.
  const lastHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const shapeOf = (ms: number): BenchDataShape => ({
    series: 100,
    intervalMs: INTERVAL_MS,
    points: Math.round(ms / INTERVAL_MS),
    startMs: lastHour - ms,
  });
  const shape = shapeOf(hours * HOUR_MS);
  // Two hours more than the range, so no window of a long query holds a counter's first sample
  // (where Prometheus 2 and 3 extrapolate differently).
  const longSpanMs = days * 24 * HOUR_MS - 60_000;
  const longShape = shapeOf(days * 24 * HOUR_MS + 2 * HOUR_MS);
  // Every evaluation time sits 5 s off the 10 s grid, where Prometheus 2 and 3 range bounds agree.
  const endMs = lastHour - INTERVAL_MS - 5_000;
  return {
    shape,
    longShape,
    endMs,
    short: rangePlan(endMs, endMs - shape.startMs - 600_000, wanted, 60_000),
    long: rangePlan(endMs, longSpanMs, wanted, Number.POSITIVE_INFINITY),
  };
}

/** Times one query on both sides, alternating who goes first, and compares their answers. */
async function measure(
  query: BenchQuery,
  kind: Kind,
  range: RangePlan,
  sides: { ours: QuerySource; theirs: QuerySource },
  rounds: number,
): Promise<PromqlBenchRow> {
  const run = (src: QuerySource) =>
    kind === 'instant'
      ? src.instant(query.expr, range.endMs)
      : src.range(query.expr, range.startMs, range.endMs, range.stepMs);
  const times = { ours: [] as number[], prom: [] as number[] };
  const answers: { ours?: QueryResult; prom?: QueryResult } = {};
  // Instant queries take milliseconds, so they get more rounds against the noise.
  const n = kind === 'instant' ? rounds * 4 : rounds;
  const warm = kind === 'instant' ? 4 : 1;
  // A clean heap per query (run with --expose-gc), before the warm-ups: a forced full GC
  // right before each timed run would shrink V8's young generation and slow the next run.
  gc?.();
  for (let round = -warm; round < n; round++) {
    const order = (round & 1) === 0 ? (['ours', 'prom'] as const) : (['prom', 'ours'] as const);
    for (const who of order) {
      const [ms, r] = await timed(() => run(who === 'ours' ? sides.ours : sides.theirs));
      if (round >= 0) times[who].push(ms);
      answers[who] = r;
    }
  }
  return {
    query: query.expr,
    kind,
    seriesSteps: query.inputSeries * (kind === 'instant' ? 1 : range.steps),
    oursMs: median(times.ours),
    promMs: median(times.prom),
    resultSeries: answers.prom ? flattenResult(answers.prom).size : 0,
    maxRelDiff: answers.ours && answers.prom ? maxRelDiff(answers.ours, answers.prom) : Number.NaN,
  };
}

/** Writes both data sets, backfills Prometheus and imports ours from the same file, and starts both. */
async function startBoth(work: string, plan: ReturnType<typeof planData>) {
  const t0 = performance.now();
  const omFile = join(work, 'data.om.txt');
  writeOpenMetrics(omFile, [
    { shape: plan.shape, series: benchSeries(plan.shape) },
    { shape: plan.longShape, series: longBenchSeries(plan.longShape.series) },
  ]);
  backfill(omFile, join(work, 'data'));
  console.log(
    `wrote and backfilled Prometheus blocks in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const ours = await startStoredEngine(omFile, join(work, 'ours'));
  rmSync(omFile);
  let prom: RunningPrometheus;
  try {
    prom = await startPrometheus(join(work, 'data'), work);
  } catch (err) {
    await ours.close();
    throw err;
  }
  return { ours, prom };
}

/**
 * Runs the benchmark and prints a table; returns the rows.
 * @example await runPromqlBench({ hours: 6, days: 1, rounds: 3 })
 */
export async function runPromqlBench(options: PromqlBenchOptions = {}): Promise<PromqlBenchRow[]> {
  const plan = planData(options);
  const { short, long } = plan;
  console.log(
    `data: ${benchSeries(plan.shape).length} series × ${plan.shape.points} samples and ` +
      `${plan.longShape.series} series × ${plan.longShape.points} samples, at 10 s; ranges: ` +
      `${short.steps} steps of ${short.stepMs / 1000} s, and ${long.steps} of ${long.stepMs / 1000} s ` +
      `(${((long.endMs - long.startMs) / 86_400_000).toFixed(2)} d) for the long queries`,
  );
  const work = mkdtempSync(join(tmpdir(), 'kpi-promql-bench-'));
  let both: { ours: StoredEngineServer; prom: RunningPrometheus } | undefined;
  const onSignal = () => {
    void Promise.all([both?.ours.close(), both?.prom.stop()]).finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    both = await startBoth(work, plan);
    const sides = {
      ours: both.ours.source,
      theirs: createPrometheusSource({ url: both.prom.url, timeoutMs: 600_000 }),
    };
    const rows: PromqlBenchRow[] = [];
    for (const query of QUERIES) {
      const kinds: readonly Kind[] = query.long ? ['range'] : ['instant', 'range'];
      for (const kind of kinds) {
        rows.push(
          await measure(query, kind, query.long ? long : short, sides, options.rounds ?? 5),
        );
      }
    }
    printRows(rows);
    return rows;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await both?.ours.close();
    await both?.prom.stop();
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
  const disagree = rows.filter((r) => !(r.maxRelDiff <= AGREE_REL));
  for (const r of rows) {
    const diff = r.maxRelDiff === 0 ? '0' : r.maxRelDiff.toExponential(1);
    console.log(
      `${r.query.padEnd(58)} ${r.kind.padEnd(7)} ${r.oursMs.toFixed(1).padStart(8)} ${r.promMs.toFixed(1).padStart(8)} ` +
        `${ns(r.oursMs, r.seriesSteps).padStart(16)} ${ns(r.promMs, r.seriesSteps).padStart(16)} ` +
        `${(r.oursMs / r.promMs).toFixed(2).padStart(9)} ${String(r.resultSeries).padStart(6)}  ` +
        `${diff}${disagree.includes(r) ? '  <-- MISMATCH' : ''}`,
    );
  }
  const ratios = rows.map((r) => r.oursMs / r.promMs);
  console.log(
    `\nmedian ours/prom: ${median(ratios).toFixed(2)} (worst ${Math.max(...ratios).toFixed(2)}; goal: worst ≤ 1.0)`,
  );
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
  runPromqlBench({
    hours: arg('hours'),
    days: arg('days'),
    rounds: arg('rounds'),
    steps: arg('steps'),
  }).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
