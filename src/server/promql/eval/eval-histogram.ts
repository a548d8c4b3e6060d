/** histogram_quantile(s) and histogram_fraction over classic `le` buckets, every step at once. */
import type { Labels } from '../../model/model.js';
import { bucketFraction } from '../functions/bucket-fraction.js';
import { type Bucket, bucketQuantile } from '../functions/bucket-quantile.js';
import { formatOpenMetricsFloat } from '../functions/go-float.js';
import { mergeSameLabels } from './finalize.js';
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

/** The buckets of one histogram: the series sharing every label but `le` (and the name). */
interface BucketGroup {
  readonly labels: Labels;
  readonly members: { col: SeriesCol; le: number }[];
}

/** Groups `le` series into histograms; series without a readable `le` are left out. */
function bucketGroups(input: readonly SeriesCol[]): BucketGroup[] {
  const groups = new Map<string, BucketGroup>();
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
  return [...groups.values()];
}

/** One output series per histogram, `read` giving its value at each step where it has buckets. */
function perHistogram(
  input: readonly SeriesCol[],
  n: number,
  read: (buckets: Bucket[], i: number) => number,
  labelsOf: (labels: Labels) => Labels = (l) => l,
): SeriesCol[] {
  const out: SeriesCol[] = [];
  const buckets: Bucket[] = [];
  for (const g of bucketGroups(input)) {
    const col = newCol(labelsOf(g.labels), n, true);
    let any = false;
    for (let i = 0; i < n; i++) {
      buckets.length = 0;
      for (const m of g.members) {
        if (m.col.present[i]) buckets.push({ upperBound: m.le, count: m.col.values[i] });
      }
      if (buckets.length === 0) continue;
      col.values[i] = read(buckets, i);
      col.present[i] = 1;
      any = true;
    }
    if (any) out.push(col);
  }
  return out;
}

/** histogram_quantile(q, buckets): one output series per bucket group (labels without `le`). */
export function evalHistogramQuantile(q: Float64Array, input: readonly SeriesCol[]): VectorValue {
  const series = perHistogram(input, q.length, (b, i) => bucketQuantile(q[i], b).value);
  return { type: 'vector', series };
}

/**
 * histogram_quantiles(buckets, label, q…): per histogram, one series per quantile, told apart
 * by `label` set to the quantile as OpenMetrics writes it (`0.0`, `0.25`).
 * @throws PromqlError when `label` makes two output series alike (Prometheus fails too).
 */
export function evalHistogramQuantiles(
  input: readonly SeriesCol[],
  label: string,
  qs: readonly Float64Array[],
  n: number,
): VectorValue {
  const out: SeriesCol[] = [];
  for (const q of qs) {
    // The label value is the quantile at the first step: quantile arguments are constants here.
    const value = formatOpenMetricsFloat(q[0]);
    const series = perHistogram(
      input,
      n,
      (b, i) => bucketQuantile(q[i], b).value,
      (l) => ({ ...l, [label]: value }),
    );
    out.push(...series);
  }
  return { type: 'vector', series: mergeSameLabels(out, n, (s) => s.labels) };
}

/** histogram_fraction(lower, upper, buckets) over classic buckets. */
export function evalHistogramFraction(
  lower: Float64Array,
  upper: Float64Array,
  input: readonly SeriesCol[],
): VectorValue {
  const series = perHistogram(input, lower.length, (b, i) => bucketFraction(lower[i], upper[i], b));
  return { type: 'vector', series };
}
