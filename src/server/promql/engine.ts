/** The embedded PromQL engine: Prometheus 3's answers over our head store. */
import type { Labels } from '../model/model.js';
import type { HeadReader } from '../store/types.js';
import type { Expr } from './ast.js';
import { DEFAULT_SUBQUERY_STEP_MS, EvalContext, makeGrid } from './eval/eval-context.js';
import { Evaluator } from './eval/evaluate.js';
import { finalSeries, orderInstant } from './eval/finalize.js';
import { compareLabels } from './eval/label-set.js';
import { parsePromql, typeOf } from './parse.js';
import { PromqlError } from './promql-error.js';
import type { QueryStats } from './query-stats.js';
import { NEVER_STOP, type QueryStop } from './query-stop.js';
import type { InstantSample, Point, QueryResult, RangeSeries } from './result.js';
import { DEFAULT_MAX_RESULT_BYTES, ResultSize } from './result-bounds.js';

/** Options of `PromqlEngine`. */
export interface PromqlEngineOptions {
  /** How far back an instant selector looks for a sample, in ms. Default (and for 0) 5 minutes. */
  lookbackDeltaMs?: number;
  /** The most samples one query may hold, and return. Default 50 000 000, as Prometheus. */
  maxSamples?: number;
  /**
   * The most bytes a query's labels and answer may take (`--query.max-result-bytes`): checked as
   * label functions make labels and before the answer is built. Default 32 MiB.
   */
  maxResultBytes?: number;
}

/** Per-query options of `PromqlEngine.instant` and `range`. */
export interface EngineQueryOptions {
  /** Polled as the query runs; ends it with a `timeout` or `canceled` PromqlError. */
  readonly stop?: QueryStop;
  /** Filled with the query's phase times and sample counts once it has run (`stats=all`). */
  readonly stats?: QueryStats;
}

/** Records phase times (from `performance.now()` marks) and the sample counts, when asked for. */
function record(stats: QueryStats | undefined, ctx: EvalContext, start: number, parsed: number) {
  if (!stats) return;
  stats.preparationMs = parsed - start;
  stats.evalMs = performance.now() - parsed;
  stats.totalQueryableSamples = ctx.total;
  stats.peakSamples = ctx.peak;
}

const TYPE_NAMES: Record<string, string> = {
  matrix: 'range vector',
  string: 'string',
};

/**
 * Evaluates PromQL queries against a head store, with Prometheus 3's semantics.
 * @example
 * const engine = new PromqlEngine(createHead(), { lookbackDeltaMs: 300_000 });
 * engine.instant('sum by (job) (rate(http_requests_total[5m]))', Date.now());
 * engine.range('up', Date.now() - 3_600_000, Date.now(), 60_000);
 */
export class PromqlEngine {
  private readonly lookbackMs: number;
  private readonly maxSamples: number;
  private readonly maxResultBytes: number;

  constructor(
    private readonly store: HeadReader,
    options: PromqlEngineOptions = {},
  ) {
    // As Prometheus, a lookback of 0 means the default.
    this.lookbackMs = options.lookbackDeltaMs || 300_000;
    this.maxSamples = options.maxSamples ?? 50_000_000;
    this.maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  }

  /** Counts an answer as it is built: past a bound, the query fails before the rest is made. */
  private resultSize(): ResultSize {
    return new ResultSize({ maxSamples: this.maxSamples, maxBytes: this.maxResultBytes });
  }

  private context(startMs: number, endMs: number, stop: QueryStop, stepMs = 0): EvalContext {
    return new EvalContext(
      this.store,
      this.lookbackMs,
      this.maxSamples,
      startMs,
      endMs,
      DEFAULT_SUBQUERY_STEP_MS,
      stepMs,
      stop,
      this.maxResultBytes,
    );
  }

  /**
   * Evaluates `expr` at one time (ms): a vector, scalar, string or (for a range selector or
   * subquery) matrix. `opts.stop` ends it early (see `queryStop`).
   * @throws PromqlError
   */
  instant(expr: string, timeMs: number, opts: EngineQueryOptions = {}): QueryResult {
    const stop = opts.stop ?? NEVER_STOP;
    const start = performance.now();
    stop.check('query preparation');
    const ast = parsePromql(expr);
    const parsed = performance.now();
    const grid = makeGrid(timeMs, timeMs, 0);
    const ctx = this.context(timeMs, timeMs, stop);
    const value = new Evaluator(ctx).eval(ast, grid);
    record(opts.stats, ctx, start, parsed);
    switch (value.type) {
      case 'scalar':
        return { resultType: 'scalar', result: [timeMs, value.values[0]] };
      case 'string':
        return { resultType: 'string', result: [timeMs, value.value] };
      case 'vector': {
        const size = this.resultSize();
        const result: InstantSample[] = finalSeries(value.series, 1).map((s) => {
          size.add(s.labels, 1);
          return { metric: s.labels, point: [timeMs, s.values[0]] as Point };
        });
        return { resultType: 'vector', result: orderInstant(ast, result) };
      }
      case 'matrix': {
        const end = value.ends[0];
        const start = end - value.rangeMs;
        const size = this.resultSize();
        const result: RangeSeries[] = [];
        for (const s of value.series) {
          const points: Point[] = [];
          for (let i = 0; i < s.t.length; i++) {
            if (s.t[i] > start && s.t[i] <= end) points.push([s.t[i], s.v[i]]);
          }
          if (points.length === 0) continue;
          size.add(s.labels, points.length);
          result.push({ metric: s.labels, points });
        }
        return { resultType: 'matrix', result: sortByLabels(result) };
      }
    }
  }

  /**
   * Evaluates `expr` at every step from `startMs` to `endMs` (inclusive) into a matrix.
   * `opts.stop` ends it early (see `queryStop`).
   * @throws PromqlError
   */
  range(
    expr: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: EngineQueryOptions = {},
  ): QueryResult {
    const stop = opts.stop ?? NEVER_STOP;
    const start = performance.now();
    stop.check('query preparation');
    if (!(stepMs > 0)) {
      throw new PromqlError(
        'execution',
        'zero or negative query resolution step widths are not accepted',
      );
    }
    if (endMs < startMs)
      throw new PromqlError('execution', 'end timestamp must not be before start time');
    const ast: Expr = parsePromql(expr);
    const type = typeOf(ast);
    if (type !== 'scalar' && type !== 'vector') {
      throw new PromqlError(
        'type',
        `invalid expression type "${TYPE_NAMES[type] ?? type}" for range query, must be Scalar or instant Vector`,
      );
    }
    const parsed = performance.now();
    const grid = makeGrid(startMs, endMs, stepMs, this.maxSamples);
    const ctx = this.context(startMs, endMs, stop, stepMs);
    const value = new Evaluator(ctx).eval(ast, grid);
    record(opts.stats, ctx, start, parsed);
    const n = grid.times.length;
    if (value.type === 'scalar') {
      const points: Point[] = [];
      for (let i = 0; i < n; i++) points.push([grid.times[i], value.values[i]]);
      return { resultType: 'matrix', result: [{ metric: {}, points }] };
    }
    if (value.type !== 'vector') return { resultType: 'matrix', result: [] };
    const size = this.resultSize();
    const result: RangeSeries[] = finalSeries(value.series, n).map((s) => {
      let present = 0;
      for (let i = 0; i < n; i++) present += s.present[i];
      size.add(s.labels, present);
      const points: Point[] = [];
      for (let i = 0; i < n; i++) if (s.present[i]) points.push([grid.times[i], s.values[i]]);
      return { metric: s.labels, points };
    });
    return { resultType: 'matrix', result: sortByLabels(result) };
  }
}

function sortByLabels<T extends { metric: Labels }>(series: T[]): T[] {
  return series.sort((a, b) => compareLabels(a.metric, b.metric));
}
