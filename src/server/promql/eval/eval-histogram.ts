/** `histogram_quantile` over classic `le` buckets, every step at once. */
import type { Labels } from '../../model.js';
import { type Bucket, bucketQuantile } from '../functions/bucket-quantile.js';
import { labelsKey, NAME } from './label-set.js';
import type { SeriesCol, VectorValue } from './values.js';
import { newCol } from './values.js';

const INF = /^[+-]?inf(inity)?$/i;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX = /^[+-]?0[xX]/;

/** Go's `strconv.ParseFloat` for bucket bounds; undefined when not a number. */
export function parseGoFloat(s: string): number | undefined {
  if (INF.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(s)) return Number.NaN;
  const plain = s.replaceAll('_', '');
  if (FLOAT.test(plain)) return Number(plain);
  if (HEX.test(s)) {
    const n = Number(s.replace(/^[+-]/, ''));
    if (!Number.isNaN(n)) return s.startsWith('-') ? -n : n;
  }
  return undefined;
}

/** histogram_quantile(q, buckets): one output series per bucket group (labels without `le`). */
export function evalHistogramQuantile(q: Float64Array, input: readonly SeriesCol[]): VectorValue {
  const n = q.length;
  const groups = new Map<string, { labels: Labels; members: { col: SeriesCol; le: number }[] }>();
  for (const col of input) {
    const leText = col.labels.le;
    if (leText === undefined) continue;
    const le = parseGoFloat(leText);
    if (le === undefined) continue;
    const labels: Record<string, string> = {};
    for (const k in col.labels) if (k !== 'le' && k !== NAME) labels[k] = col.labels[k];
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels, members: [] }));
    g.members.push({ col, le });
  }
  const out: SeriesCol[] = [];
  const buckets: Bucket[] = [];
  for (const g of groups.values()) {
    const col = newCol(g.labels, n, true);
    let any = false;
    for (let i = 0; i < n; i++) {
      buckets.length = 0;
      for (const m of g.members) {
        if (m.col.present[i]) buckets.push({ upperBound: m.le, count: m.col.values[i] });
      }
      if (buckets.length === 0) continue;
      col.values[i] = bucketQuantile(q[i], buckets).value;
      col.present[i] = 1;
      any = true;
    }
    if (any) out.push(col);
  }
  return { type: 'vector', series: out };
}
