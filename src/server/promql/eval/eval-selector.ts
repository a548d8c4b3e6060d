/** Instant and range vector selectors over the head store, for every step at once. */
import { isStaleNaN } from '../../model/model.js';
import type { MatrixSelector, VectorSelector } from '../ast.js';
import { type EvalContext, POLL_EVERY_STEPS } from './eval-context.js';
import { readWindows } from './read-windows.js';
import type { Grid, MatrixValue, RawSeries, SeriesCol, VectorValue } from './values.js';
import { newCol } from './values.js';

/** Per-step evaluation times of a selector: the step times, or the `@` time, minus the offset. */
export function selectorTimes(
  ctx: EvalContext,
  grid: Grid,
  at: VectorSelector['at'],
  offsetMs: number,
): Float64Array {
  const n = grid.times.length;
  const out = new Float64Array(n);
  if (at !== undefined) out.fill(ctx.atTime(at) - offsetMs);
  else for (let i = 0; i < n; i++) out[i] = grid.times[i] - offsetMs;
  return out;
}

/**
 * An instant selector: at each step the newest sample in `(t - lookback, t]`, none when that
 * sample is a stale marker. With `withTimestamps`, also each value's own sample time (for
 * `timestamp()`).
 */
export function evalVectorSelector(
  ctx: EvalContext,
  sel: VectorSelector,
  grid: Grid,
  withTimestamps = false,
): { value: VectorValue; sampleTimes: Float64Array[] } {
  const times = selectorTimes(ctx, grid, sel.at, sel.offsetMs);
  const n = times.length;
  const lookback = ctx.lookbackMs;
  const series: SeriesCol[] = [];
  const sampleTimes: Float64Array[] = [];
  // Steps ascend unless pinned by @, which makes every time equal: both are ascending.
  for (const view of ctx.store.select(sel.matchers)) {
    ctx.poll();
    // Only the lookback window before each step: a step longer than it skips whole chunks.
    const run = readWindows(ctx.store, view.ref, times, lookback);
    if (run.length === 0) continue;
    const col = newCol(view.labels, n);
    const st = withTimestamps ? new Float64Array(n) : undefined;
    const rt = run.t;
    const rv = run.v;
    let j = -1;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (i % POLL_EVERY_STEPS === POLL_EVERY_STEPS - 1) ctx.poll();
      const t = times[i];
      while (j + 1 < run.length && rt[j + 1] <= t) j++;
      if (j < 0 || rt[j] <= t - lookback) continue;
      const v = rv[j];
      if (isStaleNaN(v)) continue;
      col.values[i] = v;
      col.present[i] = 1;
      if (st) st[i] = rt[j];
      count++;
    }
    if (count === 0) continue;
    ctx.charge(count);
    series.push(col);
    if (st) sampleTimes.push(st);
  }
  return { value: { type: 'vector', series }, sampleTimes };
}

/** A range selector: each series' samples over the whole span, stale markers dropped. */
export function evalMatrixSelector(ctx: EvalContext, m: MatrixSelector, grid: Grid): MatrixValue {
  const sel = m.vector;
  const ends = selectorTimes(ctx, grid, sel.at, sel.offsetMs);
  return {
    type: 'matrix',
    series: loadSeries(ctx, m, ends),
    ends,
    rangeMs: m.rangeMs,
    poll: () => ctx.poll(),
  };
}

/**
 * Loads one series at a time, so a range function holds only the one it works on, and of it
 * only the samples inside some step's window.
 */
function* loadSeries(ctx: EvalContext, m: MatrixSelector, ends: Float64Array): Iterable<RawSeries> {
  const budget = new WindowBudget(ctx, ends, m.rangeMs);
  try {
    for (const view of ctx.store.select(m.vector.matchers)) {
      ctx.poll();
      const s = loadOne(ctx, view.ref, view.labels, ends, m.rangeMs);
      if (!s) continue;
      budget.add(s);
      yield s;
    }
  } finally {
    budget.done();
  }
}

function loadOne(
  ctx: EvalContext,
  ref: number,
  labels: RawSeries['labels'],
  ends: Float64Array,
  rangeMs: number,
): RawSeries | undefined {
  const run = readWindows(ctx.store, ref, ends, rangeMs);
  if (run.length === 0) return undefined;
  let stale = 0;
  for (let i = 0; i < run.length; i++) if (isStaleNaN(run.v[i])) stale++;
  if (stale === 0 && run.t instanceof Float64Array && run.v instanceof Float64Array) {
    // The store hands out fresh arrays: use them as they are.
    return { labels, t: run.t, v: run.v, dropName: false };
  }
  if (stale === run.length) return undefined;
  const t = new Float64Array(run.length - stale);
  const v = new Float64Array(run.length - stale);
  let k = 0;
  for (let i = 0; i < run.length; i++) {
    const x = run.v[i];
    if (isStaleNaN(x)) continue;
    t[k] = run.t[i];
    v[k] = x;
    k++;
  }
  return { labels, t, v, dropName: false };
}

/**
 * Charges what Prometheus holds at once for a range selector: the samples of every series'
 * window at one step. The first, middle and last steps stand for all of them.
 */
export class WindowBudget {
  private readonly probes: number[];
  private readonly sums: number[];
  private charged = 0;

  constructor(
    private readonly ctx: EvalContext,
    private readonly ends: Float64Array,
    private readonly rangeMs: number,
  ) {
    this.probes = ends.length === 0 ? [] : [...new Set([0, ends.length >> 1, ends.length - 1])];
    this.sums = this.probes.map(() => 0);
  }

  add(s: RawSeries): void {
    let worst = 0;
    this.probes.forEach((i, k) => {
      this.sums[k] += windowCount(s.t, this.ends[i] - this.rangeMs, this.ends[i]);
      worst = Math.max(worst, this.sums[k]);
    });
    if (worst > this.charged) {
      this.ctx.charge(worst - this.charged);
      this.charged = worst;
    }
  }

  done(): void {
    this.ctx.release(this.charged);
    this.charged = 0;
  }
}

function upperBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The number of samples with `from < t <= to`. */
export function windowCount(t: Float64Array, from: number, to: number): number {
  return upperBound(t, to) - upperBound(t, from);
}
