/** `label_replace` and `label_join`: new labels per series, then a duplicate check. */
import type { Labels } from '../../model/model.js';
import { compileLabelRegex, labelJoin, labelReplace } from '../functions/label-kernels.js';
import { mergeSameLabels } from './finalize.js';
import { NAME } from './label-set.js';
import type { SeriesCol, VectorValue } from './values.js';

function relabel(
  input: readonly SeriesCol[],
  dst: string,
  fn: (labels: Labels) => Labels,
): VectorValue {
  const out: SeriesCol[] = input.map((s) => {
    const labels = fn(s.labels);
    const dropName = labels !== s.labels && dst === NAME ? false : s.dropName;
    return { labels, values: s.values, present: s.present, dropName };
  });
  const n = input.length > 0 ? input[0].present.length : 0;
  return { type: 'vector', series: mergeSameLabels(out, n, (s) => s.labels) };
}

/** label_replace(v, dst, replacement, src, regex). */
export function evalLabelReplace(
  input: readonly SeriesCol[],
  dst: string,
  replacement: string,
  src: string,
  regex: string,
): VectorValue {
  const re = compileLabelRegex(regex);
  return relabel(input, dst, (l) => labelReplace(l, dst, replacement, src, re));
}

/** label_join(v, dst, separator, src…). */
export function evalLabelJoin(
  input: readonly SeriesCol[],
  dst: string,
  separator: string,
  srcs: readonly string[],
): VectorValue {
  return relabel(input, dst, (l) => labelJoin(l, dst, separator, srcs));
}
