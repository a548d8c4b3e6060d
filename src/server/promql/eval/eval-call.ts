/** Function calls: dispatch by name to range kernels, math, dates, labels and the rest. */
import type { Labels } from '../../model/model.js';
import type { CallExpr, Expr, VectorSelector } from '../ast.js';
import { FUNCTION_SIGNATURES } from '../function-signatures.js';
import { DATE_KERNELS } from '../functions/date-kernels.js';
import { clamp, clampMax, clampMin, MATH_KERNELS, roundTo } from '../functions/math-kernels.js';
import { PromqlError } from '../promql-error.js';
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

/** Labels `absent()` reports: the equality matchers of a selector argument, as Prometheus. */
function absentLabels(e: Expr): Labels {
  const sel: VectorSelector | undefined =
    e.kind === 'vector-selector' ? e : e.kind === 'matrix-selector' ? e.vector : undefined;
  if (!sel) return {};
  const out: Record<string, string> = {};
  const has = new Set<string>();
  for (const m of sel.matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !has.has(m.name)) {
      if (m.value === '') delete out[m.name];
      else out[m.name] = m.value;
      has.add(m.name);
    } else {
      delete out[m.name];
    }
  }
  return out;
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
    const n = grid.times.length;
    const name = e.func;
    const args = e.args;
    if (hasRangeKernel(name)) return this.rangeCall(e, grid);
    if (Object.hasOwn(MATH_KERNELS, name)) {
      const f = MATH_KERNELS[name];
      return mapValues(this.vector(args[0], grid), (v) => f(v));
    }
    if (Object.hasOwn(DATE_KERNELS, name)) {
      const f = DATE_KERNELS[name];
      if (args.length === 0) {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = f(grid.times[i] / 1000);
        return { type: 'vector', series: [constCol({}, values)] };
      }
      return mapValues(this.vector(args[0], grid), (v) => f(v));
    }
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
      case 'vector':
        return { type: 'vector', series: [constCol({}, this.scalar(args[0], grid).slice())] };
      case 'scalar':
        return this.scalarOf(this.vector(args[0], grid), n);
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
      case 'absent':
        return this.absent(args[0], grid);
      case 'absent_over_time':
        return evalAbsentOverTime(this.matrix(args[0], grid), absentLabels(args[0]));
      case 'histogram_quantile':
        return evalHistogramQuantile(this.scalar(args[0], grid), this.vector(args[1], grid));
      case 'histogram_quantiles':
        return evalHistogramQuantiles(
          this.vector(args[0], grid),
          this.string(args[1], grid),
          args.slice(2).map((a) => this.scalar(a, grid)),
          n,
        );
      case 'histogram_fraction':
        return evalHistogramFraction(
          this.scalar(args[0], grid),
          this.scalar(args[1], grid),
          this.vector(args[2], grid),
        );
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
      case 'sort':
      case 'sort_desc':
      case 'sort_by_label':
      case 'sort_by_label_desc':
        return { type: 'vector', series: this.vector(args[0], grid) };
      default:
        return unsupported(e);
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

  private absent(arg: Expr, grid: Grid): EvalValue {
    const n = grid.times.length;
    const input = this.vector(arg, grid);
    const col = newCol(absentLabels(arg), n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (input.some((s) => s.present[i] === 1)) continue;
      col.values[i] = 1;
      col.present[i] = 1;
      any = true;
    }
    return { type: 'vector', series: any ? [col] : [] };
  }
}
