/** Query results to and from columns of typed arrays, so they cross threads by transfer, not copy. */
import type { InstantSample, Point, QueryResult, RangeSeries } from '../promql/result.js';
import type { ColumnarResult } from './protocol.js';

/**
 * A result in columns, and the buffers to transfer with it.
 *
 * @example
 * ```ts
 * const { columns, transfer } = toColumns(engine.instant('up', Date.now()));
 * parentPort.postMessage(columns, transfer);
 * ```
 */
export function toColumns(r: QueryResult): { columns: ColumnarResult; transfer: ArrayBuffer[] } {
  if (r.resultType === 'scalar') {
    return { columns: { resultType: 'scalar', t: r.result[0], v: r.result[1] }, transfer: [] };
  }
  if (r.resultType === 'string') {
    return { columns: { resultType: 'string', t: r.result[0], value: r.result[1] }, transfer: [] };
  }
  const points: (readonly Point[])[] =
    r.resultType === 'vector' ? r.result.map((s) => [s.point]) : r.result.map((s) => s.points);
  const offsets = new Uint32Array(points.length + 1);
  for (let i = 0; i < points.length; i++) offsets[i + 1] = offsets[i] + points[i].length;
  const total = offsets[points.length];
  const t = new Float64Array(total);
  const v = new Float64Array(total);
  let k = 0;
  for (const series of points) {
    for (const [pt, pv] of series) {
      t[k] = pt;
      v[k] = pv;
      k++;
    }
  }
  const metrics = r.result.map((s) => s.metric);
  return {
    columns: { resultType: r.resultType, metrics, offsets, t, v },
    transfer: [offsets.buffer, t.buffer, v.buffer] as ArrayBuffer[],
  };
}

/**
 * The `QueryResult` of a columnar one, as the seam hands it to its readers.
 *
 * @example
 * ```ts
 * const result = fromColumns(reply.body); // { resultType: 'vector', result: [...] }
 * ```
 */
export function fromColumns(c: ColumnarResult): QueryResult {
  switch (c.resultType) {
    case 'scalar':
      return { resultType: 'scalar', result: [c.t, c.v] };
    case 'string':
      return { resultType: 'string', result: [c.t, c.value] };
    case 'vector': {
      const result: InstantSample[] = c.metrics.map((metric, i) => ({
        metric,
        point: [c.t[c.offsets[i]], c.v[c.offsets[i]]],
      }));
      return { resultType: 'vector', result };
    }
    case 'matrix': {
      const result: RangeSeries[] = c.metrics.map((metric, i) => {
        const points: Point[] = [];
        for (let k = c.offsets[i]; k < c.offsets[i + 1]; k++) points.push([c.t[k], c.v[k]]);
        return { metric, points };
      });
      return { resultType: 'matrix', result };
    }
  }
}
