/** `label_replace` and `label_join`: new labels per series, then a duplicate check. */
import type { Labels } from '../../model/model.js';
import { compileLabelRegex, labelJoin, labelReplace } from '../functions/label-kernels.js';
import { labelsBytes, tooManyBytes } from '../result-bounds.js';
import { mergeSameLabels } from './finalize.js';
import { NAME } from './label-set.js';
import type { SeriesCol, VectorValue } from './values.js';

/**
 * The relabelled vector. These are the functions that can make labels larger than anything
 * stored (`"$1$1$1…"` over a long value), so the output's labels are counted against the
 * query's byte bound as they are made.
 */
function relabel(
  input: readonly SeriesCol[],
  dst: string,
  fn: (labels: Labels) => Labels,
  maxBytes: number,
): VectorValue {
  let bytes = 0;
  const out: SeriesCol[] = input.map((s) => {
    const labels = fn(s.labels);
    bytes += labelsBytes(labels);
    if (bytes > maxBytes) throw tooManyBytes(maxBytes);
    const dropName = labels !== s.labels && dst === NAME ? false : s.dropName;
    return { labels, values: s.values, present: s.present, dropName };
  });
  const n = input.length > 0 ? input[0].present.length : 0;
  return { type: 'vector', series: mergeSameLabels(out, n, (s) => s.labels) };
}

/** label_replace(v, dst, replacement, src, regex); labels past `maxBytes` fail the query. */
export function evalLabelReplace(
  input: readonly SeriesCol[],
  dst: string,
  replacement: string,
  src: string,
  regex: string,
  maxBytes = Number.POSITIVE_INFINITY,
): VectorValue {
  const re = compileLabelRegex(regex);
  return relabel(input, dst, (l) => labelReplace(l, dst, replacement, src, re, maxBytes), maxBytes);
}

/** label_join(v, dst, separator, src…); labels past `maxBytes` fail the query. */
export function evalLabelJoin(
  input: readonly SeriesCol[],
  dst: string,
  separator: string,
  srcs: readonly string[],
  maxBytes = Number.POSITIVE_INFINITY,
): VectorValue {
  return relabel(input, dst, (l) => labelJoin(l, dst, separator, srcs, maxBytes), maxBytes);
}
