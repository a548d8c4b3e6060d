/** Subqueries: the inner expression over its own step grid, then windows like a range selector. */
import type { Expr, Subquery } from '../ast.js';
import type { EvalContext } from './eval-context.js';
import { POLL_EVERY_STEPS, tooManySteps } from './eval-context.js';
import { selectorTimes, WindowBudget } from './eval-selector.js';
import type { EvalValue, Grid, MatrixValue, RawSeries } from './values.js';

/** Evaluates an expression over a grid; passed in to keep the modules acyclic. */
export type EvalFn = (expr: Expr, grid: Grid) => EvalValue;

/**
 * The inner steps of a subquery whose windows end at `lo … hi`: absolute multiples of the step,
 * from the first one after `lo - range` up to `hi`, as Prometheus's subquery evaluation.
 */
export function subqueryGrid(
  lo: number,
  hi: number,
  rangeMs: number,
  stepMs: number,
  maxSteps = Number.POSITIVE_INFINITY,
  poll?: () => void,
): Grid {
  const mint = lo - rangeMs;
  let start = Math.floor(mint / stepMs) * stepMs;
  while (start <= mint) start += stepMs;
  const n = hi >= start ? Math.floor((hi - start) / stepMs) + 1 : 0;
  if (n > maxSteps) throw tooManySteps();
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (poll && i % POLL_EVERY_STEPS === POLL_EVERY_STEPS - 1) poll();
    times[i] = start + i * stepMs;
  }
  return { times };
}

/** Evaluates a subquery into a range vector over the outer grid. */
export function evalSubquery(
  ctx: EvalContext,
  sq: Subquery,
  grid: Grid,
  evalFn: EvalFn,
): MatrixValue {
  const stepMs = sq.stepMs > 0 ? sq.stepMs : ctx.defaultStepMs;
  const ends = selectorTimes(ctx, grid, sq.at, sq.offsetMs);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const e of ends) {
    lo = Math.min(lo, e);
    hi = Math.max(hi, e);
  }
  const poll = () => ctx.poll();
  const inner = subqueryGrid(lo, hi, sq.rangeMs, stepMs, ctx.maxSamples, poll);
  const series: RawSeries[] = [];
  if (inner.times.length > 0) {
    const value = evalFn(sq.expr, inner);
    const cols =
      value.type === 'vector'
        ? value.series
        : value.type === 'scalar'
          ? [
              {
                labels: {},
                values: value.values,
                present: new Uint8Array(value.values.length).fill(1),
                dropName: false,
              },
            ]
          : [];
    for (const c of cols) {
      poll();
      let k = 0;
      for (let i = 0; i < c.present.length; i++) k += c.present[i];
      if (k === 0) continue;
      const t = new Float64Array(k);
      const v = new Float64Array(k);
      k = 0;
      for (let i = 0; i < c.present.length; i++) {
        if (!c.present[i]) continue;
        t[k] = inner.times[i];
        v[k] = c.values[i];
        k++;
      }
      series.push({ labels: c.labels, t, v, dropName: c.dropName });
    }
  }
  const budget = new WindowBudget(ctx, ends, sq.rangeMs);
  for (const s of series) budget.add(s);
  budget.done();
  return { type: 'matrix', series, ends, rangeMs: sq.rangeMs, poll };
}
