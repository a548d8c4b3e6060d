/** Compares an engine result with a promqltest eval's expectations, the way promqltest does. */
import { isStaleNaN, type Labels } from '../../src/server/model/model.js';
import { almostEqual as promAlmostEqual } from '../../src/server/promql/functions/almost-equal.js';
import type { Point, QueryResult } from '../../src/server/promql/result.js';
import type { EvalCommand } from './promqltest-script.js';

const EPSILON = 1e-6;

/**
 * Float equality as promqltest's almost-equal: NaN equals NaN, the staleness marker only itself,
 * otherwise a relative difference below 1e-6.
 * @example almostEqual(1, 1 + 1e-9) // true
 */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  if (isStaleNaN(a) || isStaleNaN(b)) return isStaleNaN(a) && isStaleNaN(b);
  return promAlmostEqual(a, b, epsilon);
}

/** A canonical string for a label set: sorted, quoted, as Prometheus prints it. */
export function labelsKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  const name = labels.__name__;
  const rest = keys.filter((k) => k !== '__name__').map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name ?? ''}{${rest.join(', ')}}`;
}

function fmt(v: number): string {
  if (Number.isNaN(v)) return isStaleNaN(v) ? 'stale' : 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function fmtPoints(points: readonly Point[]): string {
  return points.map(([t, v]) => `${fmt(v)}@${t / 1000}s`).join(' ');
}

/** Renders a result briefly for failure reports (at most 8 series). */
export function describeResult(result: QueryResult): string {
  switch (result.resultType) {
    case 'scalar':
      return `scalar ${fmt(result.result[1])}`;
    case 'string':
      return `string ${JSON.stringify(result.result[1])}`;
    case 'vector': {
      const lines = result.result
        .slice(0, 8)
        .map((s) => `${labelsKey(s.metric)} ${fmt(s.point[1])}`);
      if (result.result.length > 8) lines.push(`… ${result.result.length - 8} more`);
      return `vector(${result.result.length}) [${lines.join('; ')}]`;
    }
    case 'matrix': {
      const lines = result.result
        .slice(0, 8)
        .map((s) => `${labelsKey(s.metric)} ${fmtPoints(s.points)}`);
      if (result.result.length > 8) lines.push(`… ${result.result.length - 8} more`);
      return `matrix(${result.result.length}) [${lines.join('; ')}]`;
    }
  }
}

/** Renders the expectation briefly for failure reports. */
export function describeExpected(cmd: EvalCommand): string {
  if (cmd.expectFail) return `an error${cmd.failMessage ? ` "${cmd.failMessage}"` : ''}`;
  if (cmd.expectString !== undefined) return `string ${JSON.stringify(cmd.expectString)}`;
  if (cmd.scalar !== undefined) return `scalar ${fmt(cmd.scalar)}`;
  const lines = cmd.series.slice(0, 8).map((s) => {
    const vals = s.values.map((v) =>
      typeof v === 'number' ? fmt(v) : v === 'omitted' ? '_' : v === 'stale' ? 'stale' : 'hist',
    );
    return `${labelsKey(s.labels)} ${vals.join(' ')}`;
  });
  if (cmd.series.length > 8) lines.push(`… ${cmd.series.length - 8} more`);
  return `${cmd.series.length} series [${lines.join('; ')}]`;
}

function expectedMatrix(
  cmd: EvalCommand,
  grid: { startMs: number; stepMs: number },
): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  for (const s of cmd.series) {
    const points: Point[] = [];
    s.values.forEach((v, i) => {
      if (typeof v === 'number') points.push([grid.startMs + i * grid.stepMs, v]);
    });
    // Prometheus never returns a series without points, so an all-`_` line expects nothing.
    if (points.length > 0) out.set(labelsKey(s.labels), points);
  }
  return out;
}

function compareMatrix(
  cmd: EvalCommand,
  result: QueryResult,
  grid: { startMs: number; stepMs: number },
): string | null {
  if (result.resultType !== 'matrix') return `expected a matrix, got ${result.resultType}`;
  const expected = expectedMatrix(cmd, grid);
  if (result.result.length !== expected.size) {
    return `expected ${expected.size} series, got ${result.result.length}`;
  }
  for (const s of result.result) {
    const key = labelsKey(s.metric);
    const exp = expected.get(key);
    if (!exp) return `unexpected series ${key}`;
    if (exp.length !== s.points.length) {
      return `${key}: expected ${exp.length} points (${fmtPoints(exp)}), got ${s.points.length} (${fmtPoints(s.points)})`;
    }
    for (let i = 0; i < exp.length; i++) {
      const [et, ev] = exp[i];
      const [gt, gv] = s.points[i];
      if (et !== gt || !almostEqual(ev, gv)) {
        return `${key}: point ${i} expected ${fmt(ev)}@${et / 1000}s, got ${fmt(gv)}@${gt / 1000}s`;
      }
    }
  }
  return null;
}

function compareVector(cmd: EvalCommand, result: QueryResult): string | null {
  if (result.resultType !== 'vector') return `expected a vector, got ${result.resultType}`;
  const expected = new Map<string, { index: number; value: number }>();
  cmd.series.forEach((s, index) => {
    const v = s.values[0];
    if (s.values.length !== 1 || typeof v !== 'number') return;
    expected.set(labelsKey(s.labels), { index, value: v });
  });
  if (result.result.length !== expected.size) {
    return `expected ${expected.size} samples, got ${result.result.length}`;
  }
  for (let pos = 0; pos < result.result.length; pos++) {
    const s = result.result[pos];
    const key = labelsKey(s.metric);
    const exp = expected.get(key);
    if (!exp) return `unexpected sample ${key} ${fmt(s.point[1])}`;
    if (cmd.ordered && exp.index !== pos)
      return `${key}: expected at position ${exp.index}, got ${pos}`;
    if (!almostEqual(exp.value, s.point[1])) {
      return `${key}: expected ${fmt(exp.value)}, got ${fmt(s.point[1])}`;
    }
  }
  return null;
}

/**
 * Returns null when the result meets the eval's expectations, else why not.
 * @example compareResult(cmd, { resultType: 'scalar', result: [0, 2] }) // null when cmd expects 2
 */
export function compareResult(cmd: EvalCommand, result: QueryResult): string | null {
  if (cmd.range) return compareMatrix(cmd, result, cmd.range);
  if (cmd.expectString !== undefined) {
    if (result.resultType !== 'string') return `expected a string, got ${result.resultType}`;
    return result.result[1] === cmd.expectString
      ? null
      : `expected string ${JSON.stringify(cmd.expectString)}`;
  }
  if (cmd.scalar !== undefined) {
    if (result.resultType !== 'scalar') return `expected a scalar, got ${result.resultType}`;
    return almostEqual(cmd.scalar, result.result[1])
      ? null
      : `expected ${fmt(cmd.scalar)}, got ${fmt(result.result[1])}`;
  }
  if (cmd.rangeVector) return compareMatrix(cmd, result, cmd.rangeVector);
  return compareVector(cmd, result);
}

/** Checks a thrown error against `expect fail msg:`/`regex:`; null when it matches. */
export function compareFailure(cmd: EvalCommand, message: string): string | null {
  // Our messages may carry a prefix (a position, "parse error:"), so the expected text need only occur.
  if (cmd.failMessage !== undefined && !message.includes(cmd.failMessage)) {
    return `expected error "${cmd.failMessage}", got "${message}"`;
  }
  if (cmd.failRegexp && !cmd.failRegexp.test(message)) {
    return `expected error matching ${cmd.failRegexp}, got "${message}"`;
  }
  return null;
}
