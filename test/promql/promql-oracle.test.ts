/** Differential test: our PromQL engine against Prometheus's own (promtool) on random KPI-shaped data. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { STALE_NAN } from '../../src/server/model/model.js';
import { PromqlEngine } from '../../src/server/promql/index.js';
import type { QueryResult } from '../../src/server/promql/result.js';
import { createHead } from '../../src/server/store/memory-head.js';
import { KPI_QUERIES } from './oracle/kpi-queries.js';
import {
  havePromtool,
  isRealMismatch,
  type OracleCase,
  type OracleSample,
  parseMismatches,
  runPromtool,
  seriesText,
  writeUnitTest,
} from './oracle/promtool-unit-test.js';
import { generateSeries, promtoolValues } from './oracle/random-series.js';

const INTERVAL_MS = 15_000;
const POINTS = 80;
const SEEDS = [1, 7, 42];
const ok = havePromtool();
if (!ok) console.warn('promql oracle skipped: promtool is not on PATH');

function toSamples(r: QueryResult): OracleSample[] {
  if (r.resultType === 'vector')
    return r.result.map((s) => ({ labels: s.metric, value: s.point[1] }));
  if (r.resultType === 'scalar') return [{ labels: {}, value: r.result[1] }];
  throw new Error(`the oracle only compares vectors and scalars, got ${r.resultType}`);
}

/** The longest range any oracle query selects (10m), plus one scrape interval. */
const FIRST_EVAL_MS = 600_000 + INTERVAL_MS;

/**
 * Eval times stay off the 15 s sample grid (promtool 2.42 closes ranges on the left, Prometheus 3
 * and we do not), and run past the data's end so staleness is exercised. They also start only
 * once every window lies after the series' first sample: where a window holds a counter's
 * start, Prometheus 3 caps the extrapolation at half an interval before its zero-point limit,
 * and promtool 2.42 the other way round, so the two legitimately differ there.
 */
function evalTimes(rand: () => number): number[] {
  const times = [617_000, 667_000, 905_000, 1_147_000, 1_207_000, 1_503_000];
  const span = POINTS * INTERVAL_MS + 360_000 - FIRST_EVAL_MS;
  for (let i = 0; i < 4; i++) {
    const t = FIRST_EVAL_MS + Math.floor(rand() * span);
    times.push(t % INTERVAL_MS === 0 ? t + 4_321 : t);
  }
  return times;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!ok)('PromQL oracle: our engine vs promtool test rules', () => {
  it.each(SEEDS)(
    'agrees with Prometheus on seed %i',
    (seed) => {
      const rand = seededRandom(seed);
      const series = generateSeries(rand, { services: 3, points: POINTS });
      const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
      for (const s of series) {
        const ref = head.getOrCreate(s.labels);
        s.values.forEach((v, i) => {
          // NaN stands for the marker; V8 may have canonicalised it in the array, so restore it.
          if (v !== undefined) head.append(ref, i * INTERVAL_MS, Number.isNaN(v) ? STALE_NAN : v);
        });
      }
      const engine = new PromqlEngine(head, { lookbackDeltaMs: 300_000 });
      const cases: OracleCase[] = [];
      const ourErrors: string[] = [];
      for (const t of evalTimes(rand)) {
        for (const expr of KPI_QUERIES) {
          try {
            cases.push({ expr, evalTimeMs: t, expected: toSamples(engine.instant(expr, t)) });
          } catch (err) {
            ourErrors.push(`${expr} @ ${t} ms: ${(err as Error).message}`);
          }
        }
      }
      expect(ourErrors).toEqual([]);

      const dir = mkdtempSync(join(tmpdir(), 'kpi-oracle-'));
      dirs.push(dir);
      const input = series.map((s) => ({ labels: s.labels, values: promtoolValues(s.values) }));
      const file = writeUnitTest(dir, INTERVAL_MS, input, cases);
      const run = runPromtool(file);
      const mismatches = parseMismatches(run.output).filter(isRealMismatch);
      const report = mismatches.map(
        (m) =>
          `${m.expr} @ ${m.time}\n  ours:       ${m.exp.map((s) => `${seriesText(s.labels)} ${s.value}`).join(', ')}` +
          `\n  prometheus: ${m.got.map((s) => `${seriesText(s.labels)} ${s.value}`).join(', ')}`,
      );
      // promtool fails on any float difference; a failure with nothing real left is a pass.
      if (!run.ok && parseMismatches(run.output).length === 0)
        throw new Error(`promtool failed:\n${run.output}`);
      expect(report, `seed ${seed}: ${cases.length} cases`).toEqual([]);
    },
    60_000,
  );
});
