/** Runs promqltest scripts against our engine and head store, classifying each eval. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileGoRegex } from '../../src/server/go-regex/compile-go-regex.js';
import { STALE_NAN } from '../../src/server/model/model.js';
import { PromqlEngine, PromqlError } from '../../src/server/promql/index.js';
import type { QueryResult } from '../../src/server/promql/result.js';
import { createHead } from '../../src/server/store/memory-head.js';
import type { HeadStore } from '../../src/server/store/types.js';
import { errorMessage } from '../../src/shared/error-message.js';
import {
  type Command,
  type EvalCommand,
  type LoadCommand,
  parseScript,
} from './promqltest-script.js';
import {
  compareFailure,
  compareResult,
  describeExpected,
  describeResult,
} from './result-compare.js';
import type { SeriesLine } from './series-notation.js';

export type EvalOutcome = 'passed' | 'failed' | 'unsupported';

export interface EvalFailure {
  readonly line: number;
  readonly expr: string;
  readonly outcome: EvalOutcome;
  readonly reason: string;
}

export interface FileReport {
  readonly file: string;
  passed: number;
  failed: number;
  unsupported: number;
  total: number;
  /** Every eval that did not pass, failed and unsupported alike. */
  readonly notPassed: EvalFailure[];
}

/** Prometheus's test engine settings: 5 m lookback, 10 000 samples per query. */
const ENGINE_OPTIONS = { lookbackDeltaMs: 300_000, maxSamples: 10_000 };

interface ScriptState {
  store: HeadStore;
  engine: PromqlEngine;
  /** Metric names that hold native histograms, which we do not store. */
  nativeHistograms: Set<string>;
}

function freshState(): ScriptState {
  const store = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  return { store, engine: new PromqlEngine(store, ENGINE_OPTIONS), nativeHistograms: new Set() };
}

/**
 * A load block's series with repeated label sets merged, as Prometheus's test loader does: a
 * later line's value wins for a timestamp ('omitted' keeps the earlier one). The store itself
 * refuses such duplicates, as it must for scrapes.
 */
export function mergeLoadSeries(series: readonly SeriesLine[]): SeriesLine[] {
  const byKey = new Map<string, SeriesLine>();
  for (const s of series) {
    const key = JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, { labels: s.labels, values: [...s.values] });
      continue;
    }
    s.values.forEach((v, i) => {
      if (v !== 'omitted') seen.values[i] = v;
    });
    for (let i = 0; i < seen.values.length; i++) seen.values[i] ??= 'omitted';
  }
  return [...byKey.values()];
}

function load(state: ScriptState, cmd: LoadCommand): void {
  for (const s of mergeLoadSeries(cmd.series)) {
    const name = s.labels.__name__ ?? '';
    if (s.values.includes('histogram')) state.nativeHistograms.add(name);
    // load_with_nhcb also makes a native histogram named like the classic one without suffix.
    if (cmd.withNhcb) state.nativeHistograms.add(name.replace(/_(bucket|count|sum)$/, ''));
    const ref = state.store.getOrCreate(s.labels);
    s.values.forEach((v, i) => {
      if (typeof v === 'number') state.store.append(ref, i * cmd.intervalMs, v);
      else if (v === 'stale') state.store.append(ref, i * cmd.intervalMs, STALE_NAN);
    });
  }
}

function usesNativeHistograms(state: ScriptState, cmd: EvalCommand): string | undefined {
  if (cmd.series.some((s) => s.values.includes('histogram')))
    return 'expects native histogram values';
  for (const name of state.nativeHistograms) {
    const word = new RegExp(
      `(^|[^a-zA-Z0-9_:])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-zA-Z0-9_:])`,
    );
    if (name !== '' && word.test(cmd.expr)) return `queries native histogram ${name}`;
  }
  return undefined;
}

/**
 * A native histogram metric a `__name__` matcher selects, like `{__name__=~"data(_histogram)?"}`.
 * Such evals often pass (many functions skip histograms), so only a mismatch is put down to the
 * histogram samples we do not store.
 */
function selectsNativeHistogram(state: ScriptState, cmd: EvalCommand): string | undefined {
  for (const m of cmd.expr.matchAll(NAME_MATCHER)) {
    const [, op, quoted] = m;
    let value: string;
    let test: (name: string) => boolean;
    try {
      value = quoted!.startsWith('"') ? (JSON.parse(quoted!) as string) : quoted!.slice(1, -1);
      const re = op === '=~' || op === '!~' ? compileGoRegex(value) : undefined;
      test = re ? (n) => re.test(n) : (n) => n === value;
    } catch {
      continue;
    }
    for (const name of state.nativeHistograms) {
      if (name !== '' && test(name) === (op === '=~' || op === '=')) {
        return `selects native histogram ${name} by ${op}${quoted}`;
      }
    }
  }
  return undefined;
}

const NAME_MATCHER = /__name__\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g;

function evaluate(state: ScriptState, cmd: EvalCommand): QueryResult {
  if (cmd.range)
    return state.engine.range(cmd.expr, cmd.range.startMs, cmd.range.endMs, cmd.range.stepMs);
  return state.engine.instant(cmd.expr, cmd.atMs);
}

function runEval(state: ScriptState, cmd: EvalCommand): { outcome: EvalOutcome; reason: string } {
  const histogram = usesNativeHistograms(state, cmd);
  if (histogram) return { outcome: 'unsupported', reason: histogram };
  let result: QueryResult;
  try {
    result = evaluate(state, cmd);
  } catch (err) {
    if (err instanceof PromqlError && err.kind === 'unsupported') {
      return { outcome: 'unsupported', reason: err.message };
    }
    const message = errorMessage(err);
    if (!cmd.expectFail) return { outcome: 'failed', reason: `unexpected error: ${message}` };
    const mismatch = compareFailure(cmd, message);
    return mismatch ? { outcome: 'failed', reason: mismatch } : { outcome: 'passed', reason: '' };
  }
  if (cmd.expectFail)
    return { outcome: 'failed', reason: `expected an error, got ${describeResult(result)}` };
  const mismatch = compareResult(cmd, result);
  if (!mismatch) return { outcome: 'passed', reason: '' };
  const selected = selectsNativeHistogram(state, cmd);
  if (selected) return { outcome: 'unsupported', reason: `${selected}; got ${mismatch}` };
  return {
    outcome: 'failed',
    reason: `${mismatch}\n      expected: ${describeExpected(cmd)}\n      got:      ${describeResult(result)}`,
  };
}

/**
 * Runs one script's commands in order and counts its evals.
 * @example runScript('eval instant at 0 1+1\n  2\n', 'x.test').passed // 1
 */
export function runScript(text: string, file: string): FileReport {
  const report: FileReport = {
    file,
    passed: 0,
    failed: 0,
    unsupported: 0,
    total: 0,
    notPassed: [],
  };
  const { commands, problems } = parseScript(text);
  for (const p of problems) {
    if (!p.isEval) continue;
    report.total++;
    report.failed++;
    report.notPassed.push({
      line: p.line,
      expr: '',
      outcome: 'failed',
      reason: `unreadable eval: ${p.message}`,
    });
  }
  let state = freshState();
  let loadError: string | undefined;
  const run = (cmd: Command): void => {
    if (cmd.kind === 'clear') {
      state = freshState();
      loadError = undefined;
      return;
    }
    if (cmd.kind === 'load') {
      try {
        load(state, cmd);
      } catch (err) {
        loadError = `load at line ${cmd.line} failed: ${(err as Error).message}`;
      }
      return;
    }
    report.total++;
    const { outcome, reason } = loadError
      ? { outcome: 'failed' as const, reason: loadError }
      : runEval(state, cmd);
    report[outcome]++;
    if (outcome !== 'passed')
      report.notPassed.push({ line: cmd.line, expr: cmd.expr, outcome, reason });
  };
  for (const cmd of commands) run(cmd);
  return report;
}

/** Runs every `*.test` file of a folder, in name order. */
export function runFolder(dir: string): FileReport[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test'))
    .sort();
  return files.map((f) => runScript(readFileSync(join(dir, f), 'utf8'), basename(f)));
}

/** Sums file reports into one. */
export function totalOf(reports: readonly FileReport[]): FileReport {
  const total: FileReport = {
    file: 'total',
    passed: 0,
    failed: 0,
    unsupported: 0,
    total: 0,
    notPassed: [],
  };
  for (const r of reports) {
    total.passed += r.passed;
    total.failed += r.failed;
    total.unsupported += r.unsupported;
    total.total += r.total;
  }
  return total;
}

/** The per-file summary line the CLI prints. */
export function summaryLine(r: FileReport): string {
  return `${r.file}: ${r.passed} passed, ${r.failed} failed, ${r.unsupported} unsupported of ${r.total}`;
}
