/** The last step of a query: drop `__name__` where due, check for duplicates, order the result. */
import type { Labels } from '../../model/model.js';
import type { Expr } from '../ast.js';
import { naturalCompare } from '../functions/natural-compare.js';
import { PromqlError } from '../promql-error.js';
import type { InstantSample } from '../result.js';
import { compareLabels, dropName, labelsKey } from './label-set.js';
import type { SeriesCol } from './values.js';
import { newCol } from './values.js';

/**
 * Series as the query returns them: names dropped where due; series that now share a label set
 * merged, which fails when two of them have a value at the same step.
 */
export function finalSeries(series: readonly SeriesCol[], n: number): SeriesCol[] {
  return mergeSameLabels(series, n, (s) => (s.dropName ? dropName(s.labels) : s.labels));
}

/**
 * Merges series that share a label set (as `labelsOf` gives it) into one; fails when two of
 * them have a value at the same step.
 */
export function mergeSameLabels(
  series: readonly SeriesCol[],
  n: number,
  labelsOf: (s: SeriesCol) => Labels,
): SeriesCol[] {
  const byKey = new Map<string, SeriesCol>();
  const out: SeriesCol[] = [];
  for (const s of series) {
    let any = false;
    for (let i = 0; i < n && !any; i++) any = s.present[i] === 1;
    if (!any) continue;
    const labels = labelsOf(s);
    const key = labelsKey(labels);
    const prev = byKey.get(key);
    if (!prev) {
      const col = s.labels === labels ? s : { ...s, labels };
      byKey.set(key, col);
      out.push(col);
      continue;
    }
    // Copy before writing so an input column shared with another node stays untouched.
    const merged = newCol(labels, n, prev.dropName);
    merged.values.set(prev.values);
    merged.present.set(prev.present);
    for (let i = 0; i < n; i++) {
      if (!s.present[i]) continue;
      if (merged.present[i]) {
        throw new PromqlError('execution', 'vector cannot contain metrics with the same labelset');
      }
      merged.values[i] = s.values[i];
      merged.present[i] = 1;
    }
    out[out.indexOf(prev)] = merged;
    byKey.set(key, merged);
  }
  return out;
}

function unwrap(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}

function byValue(desc: boolean): (a: InstantSample, b: InstantSample) => number {
  return (a, b) => {
    const x = a.point[1];
    const y = b.point[1];
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return desc ? y - x : x - y;
  };
}

/**
 * sort_by_label's order: the named labels' values in natural order (absent as ''), then the
 * whole label set; `desc` reverses both.
 */
function byLabels(
  names: readonly string[],
  desc: boolean,
): (a: InstantSample, b: InstantSample) => number {
  const sign = desc ? -1 : 1;
  return (a, b) => {
    for (const name of names) {
      const c = naturalCompare(a.metric[name] ?? '', b.metric[name] ?? '');
      if (c !== 0) return sign * c;
    }
    return sign * compareLabels(a.metric, b.metric);
  };
}

/**
 * Orders an instant vector: by value for `sort`, `sort_desc`, `topk` and `bottomk` at the top
 * of the query, by the named labels for `sort_by_label(_desc)`, by labels otherwise.
 */
export function orderInstant(ast: Expr, result: InstantSample[]): InstantSample[] {
  const top = unwrap(ast);
  if (top.kind === 'call' && (top.func === 'sort' || top.func === 'sort_desc')) {
    return result.sort(byValue(top.func === 'sort_desc'));
  }
  if (top.kind === 'call' && (top.func === 'sort_by_label' || top.func === 'sort_by_label_desc')) {
    const names = top.args.slice(1).flatMap((a) => (a.kind === 'string' ? [a.value] : []));
    return result.sort(byLabels(names, top.func === 'sort_by_label_desc'));
  }
  if (top.kind === 'aggregate' && (top.op === 'topk' || top.op === 'bottomk')) {
    return result.sort(byValue(top.op === 'topk'));
  }
  return result.sort((a, b) => compareLabels(a.metric, b.metric));
}
