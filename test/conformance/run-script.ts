/** Runs promqltest scripts against our engine and head store, classifying each eval. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { STALE_NAN } from '../../src/server/model.js';
import { PromqlEngine, PromqlError } from '../../src/server/promql/index.js';
import type { QueryResult } from '../../src/server/promql/result.js';
import { createHead } from '../../src/server/store/memory-head.js';
import type { HeadStore } from '../../src/server/store/types.js';
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

function load(state: ScriptState, cmd: LoadCommand): void {
  for (const s of cmd.series) {
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
    const message = err instanceof Error ? err.message : String(err);
    if (!cmd.expectFail) return { outcome: 'failed', reason: `unexpected error: ${message}` };
    const mismatch = compareFailure(cmd, message);
    return mismatch ? { outcome: 'failed', reason: mismatch } : { outcome: 'passed', reason: '' };
  }
  if (cmd.expectFail)
    return { outcome: 'failed', reason: `expected an error, got ${describeResult(result)}` };
  const mismatch = compareResult(cmd, result);
  if (!mismatch) return { outcome: 'passed', reason: '' };
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
