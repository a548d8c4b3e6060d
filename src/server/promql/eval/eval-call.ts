/** Function calls: dispatch by name to range kernels, math, dates, labels and the rest. */
import type { Labels } from '../../model/model.js';
import type { CallExpr, Expr } from '../ast.js';
import { FUNCTION_SIGNATURES } from '../function-signatures.js';
import { DATE_KERNELS } from '../functions/date-kernels.js';
import { clamp, clampMax, clampMin, MATH_KERNELS, roundTo } from '../functions/math-kernels.js';
import { PromqlError } from '../promql-error.js';
import { absentLabels, evalAbsent } from './eval-absent.js';
import type { EvalContext } from './eval-context.js';
import {
  evalHistogramFraction,
  evalHistogramQuantile,
  evalHistogramQuantiles,
} from './eval-histogram.js';
import { evalLabelJoin, evalLabelReplace } from './eval-label-functions.js';
import { evalAbsentOverTime, evalRangeFunction, hasRangeKernel } from './eval-range-function.js';
import { evalVectorSelector } from './eval-selector.js';
import type { EvalFn } from './eval-subquery.js';
import type { EvalValue, Grid, MatrixValue, SeriesCol, VectorValue } from './values.js';
import { colFromSteps, newCol } from './values.js';

function unsupported(e: CallExpr): never {
  throw new PromqlError('unsupported', `not supported: function ${e.func}()`, {
    position: e.start,
  });
}

function unwrapParens(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}

/** Applies `fn` to every present value; results of `undefined` drop the sample. */
function mapValues(
  input: readonly SeriesCol[],
  fn: (v: number, i: number) => number | undefined,
): VectorValue {
  const out: SeriesCol[] = [];
  for (const s of input) {
    const col = colFromSteps(s.labels, s.values.length, true, (i) =>
      s.present[i] ? fn(s.values[i], i) : undefined,
    );
    if (col) out.push(col);
  }
  return { type: 'vector', series: out };
}

function constCol(labels: Labels, values: Float64Array): SeriesCol {
  return { labels, values, present: new Uint8Array(values.length).fill(1), dropName: false };
}

export class CallEvaluator {
  constructor(
    private readonly ctx: EvalContext,
    private readonly evalFn: EvalFn,
  ) {}

  private vector(e: Expr, grid: Grid): SeriesCol[] {
    const v = this.evalFn(e, grid);
    return v.type === 'vector' ? v.series : [];
  }

  private scalar(e: Expr, grid: Grid): Float64Array {
    const v = this.evalFn(e, grid);
    if (v.type === 'scalar') return v.values;
    return new Float64Array(grid.times.length).fill(Number.NaN);
  }

  private string(e: Expr, grid: Grid): string {
    const v = this.evalFn(e, grid);
    return v.type === 'string' ? v.value : '';
  }

  private matrix(e: Expr, grid: Grid): MatrixValue {
    const v = this.evalFn(e, grid);
    if (v.type !== 'matrix') throw new PromqlError('type', 'expected a range vector argument');
    return v;
  }

  /** Evaluates a call over the grid. */
  eval(e: CallExpr, grid: Grid): EvalValue {
    const sig = FUNCTION_SIGNATURES[e.func];
    if (!sig) throw new PromqlError('parse', `unknown function with name "${e.func}"`);
    if (!sig.supported) unsupported(e);
    if (hasRangeKernel(e.func)) return this.rangeCall(e, grid);
    // Each kind answers for its own names and leaves the rest to the next.
    return (
      this.kernelCall(e, grid) ??
      this.scalarCall(e, grid) ??
      this.sampleCall(e, grid) ??
      this.absentCall(e, grid) ??
      this.histogramCall(e, grid) ??
      this.labelCall(e, grid) ??
      unsupported(e)
    );
  }

  /** Math and date kernels: one number in, one out, sample by sample. */
  private kernelCall(e: CallExpr, grid: Grid): EvalValue | undefined {
    const { func: name, args } = e;
    if (Object.hasOwn(MATH_KERNELS, name)) {
      const f = MATH_KERNELS[name];
      return mapValues(this.vector(args[0], grid), (v) => f(v));
    }
    if (!Object.hasOwn(DATE_KERNELS, name)) return undefined;
    const f = DATE_KERNELS[name];
    if (args.length === 0) {
      const n = grid.times.length;
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = f(grid.times[i] / 1000);
      return { type: 'vector', series: [constCol({}, values)] };
    }
    return mapValues(this.vector(args[0], grid), (v) => f(v));
  }

  /** Functions whose answer is a scalar: the step's time, the query's bounds, constants, and conversions. */
  private scalarCall(e: CallExpr, grid: Grid): EvalValue | undefined {
    const { func: name, args } = e;
    const n = grid.times.length;
    switch (name) {
      case 'time': {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = grid.times[i] / 1000;
        return { type: 'scalar', values };
      }
      case 'pi':
        return { type: 'scalar', values: new Float64Array(n).fill(Math.PI) };
      case 'start':
        return { type: 'scalar', values: new Float64Array(n).fill(this.ctx.queryStartMs / 1000) };
      case 'end':
        return { type: 'scalar', values: new Float64Array(n).fill(this.ctx.queryEndMs / 1000) };
      case 'range': {
        const seconds = (this.ctx.queryEndMs - this.ctx.queryStartMs) / 1000;
        return { type: 'scalar', values: new Float64Array(n).fill(seconds) };
      }
      case 'step':
        return { type: 'scalar', values: new Float64Array(n).fill(this.ctx.queryStepMs / 1000) };
      case 'min_of':
      case 'max_of': {
        // Go's math.Min and math.Max, as JavaScript's: NaN wins, -0 is below 0.
        const pick = name === 'min_of' ? Math.min : Math.max;
        const a = this.scalar(args[0], grid);
        const b = this.scalar(args[1], grid);
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = pick(a[i], b[i]);
        return { type: 'scalar', values };
      }
      case 'scalar':
        return this.scalarOf(this.vector(args[0], grid), n);
      default:
        return undefined;
    }
  }

  /** Functions that keep a vector's series and change or keep their samples. */
  private sampleCall(e: CallExpr, grid: Grid): EvalValue | undefined {
    const args = e.args;
    switch (e.func) {
      case 'vector':
        return { type: 'vector', series: [constCol({}, this.scalar(args[0], grid).slice())] };
      case 'round': {
        const to = args.length > 1 ? this.scalar(args[1], grid) : undefined;
        return mapValues(this.vector(args[0], grid), (v, i) => roundTo(v, to ? to[i] : 1));
      }
      case 'clamp': {
        const lo = this.scalar(args[1], grid);
        const hi = this.scalar(args[2], grid);
        return mapValues(this.vector(args[0], grid), (v, i) => clamp(v, lo[i], hi[i]));
      }
      case 'clamp_min': {
        const lo = this.scalar(args[1], grid);
        return mapValues(this.vector(args[0], grid), (v, i) => clampMin(v, lo[i]));
      }
      case 'clamp_max': {
        const hi = this.scalar(args[1], grid);
        return mapValues(this.vector(args[0], grid), (v, i) => clampMax(v, hi[i]));
      }
      case 'timestamp':
        return this.timestamp(args[0], grid);
      case 'sort':
      case 'sort_desc':
      case 'sort_by_label':
      case 'sort_by_label_desc':
        return { type: 'vector', series: this.vector(args[0], grid) };
      default:
        return undefined;
    }
  }

  /** `absent()` and `absent_over_time()`: one series where the argument has none. */
  private absentCall(e: CallExpr, grid: Grid): EvalValue | undefined {
    const args = e.args;
    if (e.func === 'absent') {
      return evalAbsent(this.vector(args[0], grid), absentLabels(args[0]), grid.times.length);
    }
    if (e.func !== 'absent_over_time') return undefined;
    return evalAbsentOverTime(this.matrix(args[0], grid), absentLabels(args[0]));
  }

  /** Quantiles and fractions over classic histogram buckets. */
  private histogramCall(e: CallExpr, grid: Grid): EvalValue | undefined {
    const args = e.args;
    switch (e.func) {
      case 'histogram_quantile':
        return evalHistogramQuantile(this.scalar(args[0], grid), this.vector(args[1], grid));
      case 'histogram_quantiles':
        return evalHistogramQuantiles(
          this.vector(args[0], grid),
          this.string(args[1], grid),
          args.slice(2).map((a) => this.scalar(a, grid)),
          grid.times.length,
        );
      case 'histogram_fraction':
        return evalHistogramFraction(
          this.scalar(args[0], grid),
          this.scalar(args[1], grid),
          this.vector(args[2], grid),
        );
      default:
        return undefined;
    }
  }

  /** `label_replace()` and `label_join()`: new labels from old, bounded by the result's byte cap. */
  private labelCall(e: CallExpr, grid: Grid): EvalValue | undefined {
    const args = e.args;
    switch (e.func) {
      case 'label_replace':
        return evalLabelReplace(
          this.vector(args[0], grid),
          this.string(args[1], grid),
          this.string(args[2], grid),
          this.string(args[3], grid),
          this.string(args[4], grid),
          this.ctx.maxResultBytes,
        );
      case 'label_join':
        return evalLabelJoin(
          this.vector(args[0], grid),
          this.string(args[1], grid),
          this.string(args[2], grid),
          args.slice(3).map((a) => this.string(a, grid)),
          this.ctx.maxResultBytes,
        );
      default:
        return undefined;
    }
  }

  private rangeCall(e: CallExpr, grid: Grid): EvalValue {
    const name = e.func;
    const args = e.args;
    if (name === 'quantile_over_time') {
      const q = this.scalar(args[0], grid);
      return evalRangeFunction(name, this.matrix(args[1], grid), [q]);
    }
    if (name === 'double_exponential_smoothing') {
      const m = this.matrix(args[0], grid);
      return evalRangeFunction(name, m, [this.scalar(args[1], grid), this.scalar(args[2], grid)]);
    }
    if (name === 'predict_linear') {
      const m = this.matrix(args[0], grid);
      const t = this.scalar(args[1], grid);
      // The fitted line is anchored at the step's own time, even under `offset` or `@`.
      return evalRangeFunction(name, m, [t, grid.times]);
    }
    return evalRangeFunction(name, this.matrix(args[0], grid), []);
  }

  private scalarOf(input: readonly SeriesCol[], n: number): EvalValue {
    const values = new Float64Array(n).fill(Number.NaN);
    const counts = new Uint32Array(n);
    for (const s of input) {
      for (let i = 0; i < n; i++) {
        if (!s.present[i]) continue;
        counts[i]++;
        values[i] = counts[i] === 1 ? s.values[i] : Number.NaN;
      }
    }
    return { type: 'scalar', values };
  }

  private timestamp(arg: Expr, grid: Grid): EvalValue {
    const inner = unwrapParens(arg);
    if (inner.kind === 'vector-selector') {
      const { value, sampleTimes } = evalVectorSelector(this.ctx, inner, grid, true);
      const out = value.series.map((s, k) => {
        const col = newCol(s.labels, s.values.length, true);
        const st = sampleTimes[k];
        for (let i = 0; i < st.length; i++) {
          if (!s.present[i]) continue;
          col.values[i] = st[i] / 1000;
          col.present[i] = 1;
        }
        return col;
      });
      return { type: 'vector', series: out };
    }
    return mapValues(this.vector(arg, grid), (_v, i) => grid.times[i] / 1000);
  }
}
