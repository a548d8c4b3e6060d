/** How far two PromQL answers are apart: one comparison for the differential tests and the PromQL benchmark. */
import type { QueryResult } from '../../src/server/promql/result.js';

/** A label set's key that ignores `__name__` (Prometheus and we may keep or drop it alike, but do not need to). */
function seriesKey(m: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(m)
      .filter(([k]) => k !== '__name__')
      .sort(),
  );
}

/**
 * Each series's points as `[t, v, t, v, …]`, keyed by its labels without the name.
 * @example flattenResult(engine.instant('up', t)).size // the number of series
 */
export function flattenResult(r: QueryResult): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (r.resultType === 'vector')
    for (const s of r.result) out.set(seriesKey(s.metric), [...s.point]);
  if (r.resultType === 'matrix') {
    for (const s of r.result) {
      out.set(
        seriesKey(s.metric),
        s.points.flatMap((p) => [p[0], p[1]]),
      );
    }
  }
  return out;
}

/** Relative difference of two values; NaN against NaN is 0, NaN against a number is Infinity. */
function relDiff(x: number, y: number): number {
  if (Number.isNaN(x) && Number.isNaN(y)) return 0;
  const d = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
  return Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
}

/**
 * Largest relative difference between two answers' values; Infinity when their series, point
 * counts or timestamps differ, or one is NaN where the other is not.
 * @example maxRelDiff(ours, prometheus) <= 1e-9
 */
export function maxRelDiff(a: QueryResult, b: QueryResult): number {
  const fa = flattenResult(a);
  const fb = flattenResult(b);
  if (fa.size !== fb.size || fa.size === 0) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const [k, va] of fa) {
    const vb = fb.get(k);
    if (!vb || vb.length !== va.length) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < va.length; i += 2) {
      if (va[i] !== vb[i]) return Number.POSITIVE_INFINITY;
      worst = Math.max(worst, relDiff(va[i + 1], vb[i + 1]));
    }
  }
  return worst;
}

/**
 * The differences between two answers beyond `tolerance` (relative), readably, at most `limit`:
 * series only one side has, points (time and value) that differ. Empty when they agree.
 * @example expect(answerDifferences(ours, theirs, 1e-9)).toEqual([])
 */
export function answerDifferences(
  ours: QueryResult,
  theirs: QueryResult,
  tolerance: number,
  limit = 5,
): string[] {
  const fa = flattenResult(ours);
  const fb = flattenResult(theirs);
  const out: string[] = [];
  for (const k of fb.keys()) if (!fa.has(k)) out.push(`${k}: only Prometheus has it`);
  for (const [k, va] of fa) {
    const vb = fb.get(k);
    if (!vb) {
      out.push(`${k}: only ours has it`);
      continue;
    }
    const pointsA = new Map<number, number>();
    for (let i = 0; i < va.length; i += 2) pointsA.set(va[i], va[i + 1]);
    const pointsB = new Map<number, number>();
    for (let i = 0; i < vb.length; i += 2) pointsB.set(vb[i], vb[i + 1]);
    for (const t of new Set([...pointsA.keys(), ...pointsB.keys()])) {
      const x = pointsA.get(t);
      const y = pointsB.get(t);
      if (x === undefined || y === undefined || relDiff(x, y) > tolerance)
        out.push(`${k} @ ${t}: ours ${x ?? 'none'}, Prometheus ${y ?? 'none'}`);
    }
  }
  return out.slice(0, limit);
}
