/** Writes a promtool rules unit test with our engine's answers as expectations, runs it, reads the verdict. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Labels } from '../../../src/server/model/model.js';

/** One input series in promtool's notation. */
export interface OracleSeries {
  readonly labels: Labels;
  /** Space-separated values, e.g. `1 2 _ stale 5`. */
  readonly values: string;
}

export interface OracleSample {
  readonly labels: Labels;
  readonly value: number;
}

/** One instant query at one time, with what we expect promtool to get. */
export interface OracleCase {
  readonly expr: string;
  readonly evalTimeMs: number;
  readonly expected: readonly OracleSample[];
}

/** A promtool mismatch: the query, and both sides as promtool printed them, parsed. */
export interface OracleMismatch {
  readonly expr: string;
  readonly time: string;
  readonly exp: OracleSample[];
  readonly got: OracleSample[];
}

/** Series notation as promtool reads it: `name{a="b"}`. */
export function seriesText(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return `${name ?? ''}{${pairs.join(', ')}}`;
}

/** Writes `<dir>/oracle.test.yml` and returns its path. */
export function writeUnitTest(
  dir: string,
  intervalMs: number,
  series: readonly OracleSeries[],
  cases: readonly OracleCase[],
): string {
  const doc = {
    evaluation_interval: '1m',
    tests: [
      {
        interval: `${intervalMs}ms`,
        input_series: series.map((s) => ({ series: seriesText(s.labels), values: s.values })),
        promql_expr_test: cases.map((c) => ({
          expr: c.expr,
          eval_time: `${c.evalTimeMs}ms`,
          exp_samples: c.expected.map((s) => ({ labels: seriesText(s.labels), value: s.value })),
        })),
      },
    ],
  };
  const file = join(dir, 'oracle.test.yml');
  writeFileSync(file, stringify(doc, { lineWidth: 0 }));
  return file;
}

/** Reads promtool's `{a="b"} 1.5E+00, {…} NaN` lists (or `nil`). */
export function parseSampleList(text: string): OracleSample[] {
  const out: OracleSample[] = [];
  let i = 0;
  const s = text.trim();
  if (s === 'nil' || s === '') return out;
  while (i < s.length) {
    while (s[i] === ',' || s[i] === ' ') i++;
    if (i >= s.length) break;
    if (s[i] !== '{') throw new Error(`unexpected promtool sample list: ${s}`);
    const labels: Record<string, string> = {};
    i++;
    while (s[i] !== '}') {
      while (s[i] === ',' || s[i] === ' ') i++;
      if (s[i] === '}') break;
      const eq = s.indexOf('=', i);
      const key = s.slice(i, eq);
      let j = eq + 2;
      while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      labels[key] = JSON.parse(s.slice(eq + 1, j + 1)) as string;
      i = j + 1;
    }
    i++;
    const end = s.indexOf(', {', i);
    const token = s.slice(i, end < 0 ? s.length : end).trim();
    const value =
      token === '+Inf'
        ? Infinity
        : token === '-Inf'
          ? -Infinity
          : token === 'NaN'
            ? NaN
            : Number(token);
    out.push({ labels, value });
    i = end < 0 ? s.length : end + 1;
  }
  return out;
}

/** Pulls every `expr: …, time: …, exp: …, got: …` block out of promtool's output. */
export function parseMismatches(output: string): OracleMismatch[] {
  const out: OracleMismatch[] = [];
  const re = /expr: ("(?:[^"\\]|\\.)*"), time: (\S+),\s*\n\s*exp: (.*)\n\s*got: (.*)/g;
  for (const m of output.matchAll(re)) {
    out.push({
      expr: JSON.parse(m[1]) as string,
      time: m[2],
      exp: parseSampleList(m[3]),
      got: parseSampleList(m[4]),
    });
  }
  return out;
}

/** Runs `promtool test rules`; `output` holds stdout and stderr together. */
export function runPromtool(file: string): { ok: boolean; output: string } {
  const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8', timeout: 60_000 });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

/** True when promtool is on PATH. */
export function havePromtool(): boolean {
  return spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
}

function key(labels: Labels): string {
  return seriesText(labels);
}

/**
 * Whether a promtool mismatch is real: promtool compares floats exactly and NaN never equals
 * NaN, so we forgive differences within 1e-9 relative and NaN against NaN.
 */
export function isRealMismatch(m: OracleMismatch): boolean {
  if (m.exp.length !== m.got.length) return true;
  const got = new Map(m.got.map((s) => [key(s.labels), s.value]));
  return m.exp.some((s) => {
    const g = got.get(key(s.labels));
    return g === undefined || !close(s.value, g);
  });
}
