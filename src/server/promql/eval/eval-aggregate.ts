/** Aggregations (`sum by (…)`, `topk`, `limitk`, `quantile`, `count_values`, …) over every step at once. */
import type { Labels } from '../../model/model.js';
import type { AggregateExpr } from '../ast.js';
import { isValidLabelName } from '../functions/label-kernels.js';
import { labelsHash } from '../functions/labels-hash.js';
import { quantileOf } from '../functions/quantile.js';
import { PromqlError } from '../promql-error.js';
import { GroupAccumulator } from './aggregate-kernels.js';
import { groupSeries } from './group-by.js';
import { dropName, labelsKey } from './label-set.js';
import type { EvalValue, SeriesCol, VectorValue } from './values.js';
import { newCol } from './values.js';

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const s = String(v);
  if (!s.includes('e')) return s;
  const [mant, expStr] = s.split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const point = mant.replace('-', '').indexOf('.');
  const intLen = (point < 0 ? mant.replace('-', '').length : point) + exp;
  let out: string;
  if (intLen <= 0) out = `0.${'0'.repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return neg ? `-${out}` : out;
}

function simple(e: AggregateExpr, input: readonly SeriesCol[], n: number): SeriesCol[] {
  const groups = groupSeries(input, e.grouping, e.without);
  const accs = groups.labels.map(() => new GroupAccumulator(e.op, n));
  input.forEach((s, k) => {
    const acc = accs[groups.of[k]];
    for (let i = 0; i < n; i++) if (s.present[i]) acc.add(i, s.values[i]);
  });
  const out: SeriesCol[] = [];
  accs.forEach((acc, g) => {
    const col = newCol(groups.labels[g], n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!acc.seen[i]) continue;
      col.values[i] = acc.result(i);
      col.present[i] = 1;
      any = true;
    }
    if (any) out.push(col);
  });
  return out;
}

/** Orders for topk (`desc`) and bottomk: NaN always last. */
function byValue(desc: boolean): (a: number, b: number) => number {
  return (a, b) => {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return desc ? b - a : a - b;
  };
}

function kOf(p: number): number {
  if (Number.isNaN(p)) throw new PromqlError('execution', 'Parameter value is NaN for parameter k');
  if (p >= Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  return p < 1 ? 0 : Math.trunc(p);
}

function topk(e: AggregateExpr, input: readonly SeriesCol[], param: Float64Array, n: number) {
  const ks = new Float64Array(n);
  for (let i = 0; i < n; i++) ks[i] = kOf(param[i]);
  const groups = groupSeries(input, e.grouping, e.without);
  const out = input.map((s) => newCol(s.labels, n, s.dropName));
  const cmp = byValue(e.op === 'topk');
  const picked: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = ks[i];
    if (k === 0) continue;
    for (const members of groups.members) {
      picked.length = 0;
      for (const m of members) if (input[m].present[i]) picked.push(m);
      picked.sort((a, b) => cmp(input[a].values[i], input[b].values[i]) || a - b);
      const take = Math.min(k, picked.length);
      for (let j = 0; j < take; j++) {
        const m = picked[j];
        out[m].values[i] = input[m].values[i];
        out[m].present[i] = 1;
      }
    }
  }
  return out.filter((c) => c.present.includes(1));
}

/**
 * limitk: the first k series of each group, in input order (the store's, as Prometheus takes
 * them from its index); values unchanged.
 */
function limitk(e: AggregateExpr, input: readonly SeriesCol[], param: Float64Array, n: number) {
  const groups = groupSeries(input, e.grouping, e.without);
  const out = input.map((s) => newCol(s.labels, n, s.dropName));
  for (let i = 0; i < n; i++) {
    const k = kOf(param[i]);
    for (const members of groups.members) {
      let taken = 0;
      for (const m of members) {
        if (taken >= k) break;
        if (!input[m].present[i]) continue;
        out[m].values[i] = input[m].values[i];
        out[m].present[i] = 1;
        taken++;
      }
    }
  }
  return out.filter((c) => c.present.includes(1));
}

/**
 * limit_ratio: a stable sample of series by the hash of their labels, as Prometheus's
 * RatioSampler: a series is kept when hash / 2^64 < r, or (r < 0) when it is ≥ 1 + r, so
 * `limit_ratio(r, v)` and `limit_ratio(-(1 - r), v)` split v in two. r is clamped to [-1, 1].
 */
function limitRatio(input: readonly SeriesCol[], param: Float64Array, n: number) {
  const offsets = input.map((s) => {
    const labels = s.dropName ? dropName(s.labels) : s.labels;
    return Number(labelsHash(labels)) / MAX_UINT64;
  });
  const out = input.map((s) => newCol(s.labels, n, s.dropName));
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(param[i])) throw new PromqlError('execution', 'Ratio value is NaN');
    const r = Math.max(-1, Math.min(1, param[i]));
    if (r === 0) continue;
    input.forEach((s, k) => {
      if (!s.present[i]) return;
      if (r >= 0 ? offsets[k] < r : offsets[k] >= 1 + r) {
        out[k].values[i] = s.values[i];
        out[k].present[i] = 1;
      }
    });
  }
  return out.filter((c) => c.present.includes(1));
}

/** 2^64 - 1 as a float64, which rounds to 2^64 as in Go's float64(math.MaxUint64). */
const MAX_UINT64 = 2 ** 64;

function quantile(e: AggregateExpr, input: readonly SeriesCol[], param: Float64Array, n: number) {
  const groups = groupSeries(input, e.grouping, e.without);
  const out: SeriesCol[] = [];
  const values: number[] = [];
  groups.members.forEach((members, g) => {
    const col = newCol(groups.labels[g], n);
    let any = false;
    for (let i = 0; i < n; i++) {
      values.length = 0;
      for (const m of members) if (input[m].present[i]) values.push(input[m].values[i]);
      if (values.length === 0) continue;
      col.values[i] = quantileOf(param[i], values);
      col.present[i] = 1;
      any = true;
    }
    if (any) out.push(col);
  });
  return out;
}

/**
 * count_values makes a series per distinct value, each a column over every step: over many steps
 * of changing values that is far more than it read, so each new column is charged to the
 * query's sample budget (`charge`) as it is made.
 */
function countValues(
  e: AggregateExpr,
  input: readonly SeriesCol[],
  label: string,
  n: number,
  charge: (cells: number) => void,
) {
  if (!isValidLabelName(label)) {
    throw new PromqlError('execution', `invalid label name ${JSON.stringify(label)}`);
  }
  const groups = groupSeries(input, e.grouping, e.without);
  const out = new Map<string, SeriesCol>();
  input.forEach((s, k) => {
    const base = groups.labels[groups.of[k]];
    for (let i = 0; i < n; i++) {
      if (!s.present[i]) continue;
      const labels: Labels = { ...base, [label]: formatValue(s.values[i]) };
      const key = labelsKey(labels);
      let col = out.get(key);
      if (!col) {
        charge(n);
        out.set(key, (col = newCol(labels, n)));
      }
      col.values[i] = col.present[i] ? col.values[i] + 1 : 1;
      col.present[i] = 1;
    }
  });
  return [...out.values()];
}

/**
 * Evaluates an aggregation from its evaluated input and parameter. `charge` counts samples the
 * aggregation holds beyond its input (see `EvalContext.charge`).
 */
export function evalAggregate(
  e: AggregateExpr,
  input: VectorValue,
  param: EvalValue | undefined,
  n: number,
  charge: (cells: number) => void = () => {},
): VectorValue {
  const series = input.series;
  switch (e.op) {
    case 'topk':
    case 'bottomk':
      return { type: 'vector', series: topk(e, series, scalarParam(param, n), n) };
    case 'limitk':
      return { type: 'vector', series: limitk(e, series, scalarParam(param, n), n) };
    case 'limit_ratio':
      return { type: 'vector', series: limitRatio(series, scalarParam(param, n), n) };
    case 'quantile':
      return { type: 'vector', series: quantile(e, series, scalarParam(param, n), n) };
    case 'count_values': {
      const label = param?.type === 'string' ? param.value : '';
      return { type: 'vector', series: countValues(e, series, label, n, charge) };
    }
    default:
      return { type: 'vector', series: simple(e, series, n) };
  }
}

function scalarParam(param: EvalValue | undefined, n: number): Float64Array {
  if (param?.type === 'scalar') return param.values;
  return new Float64Array(n).fill(Number.NaN);
}
