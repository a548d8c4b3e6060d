/** `absent()`: one series, labelled from the selector's equality matchers, where the argument has none. */
import type { Labels } from '../../model/model.js';
import type { Expr, VectorSelector } from '../ast.js';
import type { SeriesCol, VectorValue } from './values.js';
import { newCol } from './values.js';

/** Labels `absent()` reports: the equality matchers of a selector argument, as Prometheus. */
export function absentLabels(e: Expr): Labels {
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

/** 1 with `labels` at each of the `n` steps where no series of `input` has a sample. */
export function evalAbsent(input: readonly SeriesCol[], labels: Labels, n: number): VectorValue {
  const col = newCol(labels, n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (input.some((s) => s.present[i] === 1)) continue;
    col.values[i] = 1;
    col.present[i] = 1;
    any = true;
  }
  return { type: 'vector', series: any ? [col] : [] };
}
