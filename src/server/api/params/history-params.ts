/** Reads the `from`, `to` and `step` of a history request, each with one documented meaning. */

import { DURATION_UNIT_MS, readDurationOrNumber } from '../../../shared/duration.js';
import { PLAIN_NUMBER } from '../../../shared/plain-number.js';
import { MAX_BUCKETS } from '../../history/index.js';
import { parseRfc3339 } from '../../time/rfc3339.js';
import { ProblemError } from '../problem.js';

/**
 * Epoch numbers at or above this are milliseconds, below it seconds. 1e12 ms is 2001-09-09 and
 * 1e12 s is the year 33658, so every date a KPI can have reads the same either way round.
 */
export const EPOCH_MS_FROM = 1e12;

/** A resolved history request. */
export interface HistoryParams {
  readonly from: number;
  readonly to: number;
  readonly step: number;
  /** Group key, `''` for the whole KPI. */
  readonly group: string;
}

/** Defaults a request may leave out. */
export interface HistoryDefaults {
  /** `to` when absent: now, ms. */
  readonly now: number;
  /** `from` when absent is `to` minus this. Default one hour. */
  readonly rangeMs?: number;
  /** The finest useful step when absent (the evaluation interval). */
  readonly minStepMs: number;
}

function bad(parameter: string, detail: string): ProblemError {
  return new ProblemError({
    status: 400,
    type: 'about:blank',
    detail: `invalid parameter "${parameter}": ${detail}`,
    extensions: { parameter },
  });
}

/**
 * Reads a time: RFC 3339 (`2026-11-24T12:00:00Z`, offset required), or an epoch number —
 * milliseconds when at least {@link EPOCH_MS_FROM}, else seconds (fractions allowed).
 *
 * @example
 * ```ts
 * parseHistoryTime('from', '1700000000'); // 1_700_000_000_000
 * parseHistoryTime('from', '1700000000000'); // 1_700_000_000_000
 * ```
 */
export function parseHistoryTime(parameter: string, text: string): number {
  const s = text.trim();
  if (PLAIN_NUMBER.test(s)) {
    const n = Number(s);
    const ms = Math.abs(n) >= EPOCH_MS_FROM ? n : n * 1000;
    if (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15) return Math.floor(ms);
  } else {
    const ms = parseRfc3339(s);
    if (ms !== undefined) return ms;
  }
  throw bad(
    parameter,
    `cannot read ${JSON.stringify(text)} as a time; use RFC 3339 like 2026-11-24T12:00:00Z, epoch seconds like 1764000000, or epoch milliseconds like 1764000000000`,
  );
}

/**
 * Reads a step: a Prometheus duration (`30s`, `1m`, `1h30m`) or a whole number of milliseconds
 * (`60000`). A bare number is milliseconds here, unlike Prometheus's seconds, because the SDK
 * and charts count in ms.
 *
 * @example
 * ```ts
 * parseHistoryStep('5m'); // 300_000
 * parseHistoryStep('60000'); // 60_000
 * ```
 */
export function parseHistoryStep(text: string): number {
  const s = text.trim();
  // Whole milliseconds or a duration: a fraction of a millisecond is no step.
  const whole = /^\d+$/.test(s) || !PLAIN_NUMBER.test(s);
  const ms = whole ? (readDurationOrNumber(s, 1).ms ?? Number.NaN) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw bad(
      'step',
      `cannot read ${JSON.stringify(text)} as a step; use a duration like 30s, 5m or 1h, or whole milliseconds like 60000`,
    );
  }
  if (ms <= 0) throw bad('step', 'must be longer than 0');
  return ms;
}

/**
 * Reads and checks a whole history request: `to` defaults to now, `from` to an hour before
 * `to`, `step` to the finest that gives at most 1 000 buckets and no finer than evaluation.
 * Throws a 400 {@link ProblemError} naming the first bad parameter.
 */
export function parseHistoryParams(
  query: (name: string) => string | undefined,
  defaults: HistoryDefaults,
): HistoryParams {
  const toText = query('to');
  const fromText = query('from');
  const stepText = query('step');
  const to = toText === undefined ? defaults.now : parseHistoryTime('to', toText);
  const from =
    fromText === undefined
      ? to - (defaults.rangeMs ?? 3_600_000)
      : parseHistoryTime('from', fromText);
  if (from > to) throw bad('to', `must not be before "from" (${iso(from)}), got ${iso(to)}`);
  const step =
    stepText === undefined
      ? Math.max(defaults.minStepMs, Math.ceil((to - from + 1) / 1000), 1)
      : parseHistoryStep(stepText);
  const buckets = Math.floor(to / step) - Math.floor(from / step) + 1;
  if (buckets > MAX_BUCKETS) {
    const least = Math.ceil((to - from) / (MAX_BUCKETS - 2));
    const hint = roundUpDuration(least);
    throw bad(
      'step',
      `${buckets} buckets asked for, at most ${MAX_BUCKETS}; use a step of at least ${hint}`,
    );
  }
  return { from, to, step, group: query('group') ?? '' };
}

/** A duration at least `ms`, in its largest whole unit, rounded up: `7856` → `8s`. */
function roundUpDuration(ms: number): string {
  const unit = (['d', 'h', 'm', 's'] as const).find((u) => ms >= DURATION_UNIT_MS[u]);
  return unit ? `${Math.ceil(ms / DURATION_UNIT_MS[unit])}${unit}` : `${ms}ms`;
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
