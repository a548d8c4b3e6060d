/** Prometheus duration text (`15s`, `1h30m`, `35d`) to milliseconds and back: the one grammar every reader, server and browser, uses. */
import { PLAIN_NUMBER } from './plain-number.js';

/** Milliseconds in one of each unit Prometheus knows; a year is 365 days, as in Prometheus. */
export const DURATION_UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  y: 31_536_000_000,
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

/** Units largest first: Prometheus requires them in this order, each at most once. */
export const DURATION_UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

/** One unit of a Prometheus duration. */
export type DurationUnit = (typeof DURATION_UNITS)[number];

const PART = /(\d+)(ms|[smhdwy])/y;

/**
 * Why a text is not a duration. `range` is well formed but too long for a safe integer of ms;
 * each caller words its own message, so the reason is a code, not prose.
 */
export type DurationFault = 'empty' | 'syntax' | 'order' | 'range';

/** The outcome of {@link readDuration}: milliseconds, or why the text is not a duration. */
export type DurationReading =
  | { readonly ms: number; readonly fault?: undefined }
  | { readonly ms?: undefined; readonly fault: DurationFault };

/**
 * Reads a duration the way Prometheus's `model.ParseDuration` does: one or more
 * `<integer><unit>` parts, units `y w d h m s ms`, largest first, each at most once; `0` alone
 * is zero. No sign, no fraction, no spaces: callers that also take plain seconds (the HTTP API,
 * the PromQL lexer) try those first.
 *
 * @example
 * ```ts
 * readDuration('1h30m'); // { ms: 5_400_000 }
 * readDuration('30m1h'); // { fault: 'order' }
 * ```
 */
export function readDuration(text: string): DurationReading {
  if (text === '0') return { ms: 0 };
  if (text === '') return { fault: 'empty' };
  let at = 0;
  let total = 0;
  let lastRank = -1;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) return { fault: 'syntax' };
    const unit = m[2] as DurationUnit;
    const rank = DURATION_UNITS.indexOf(unit);
    if (rank <= lastRank) return { fault: 'order' };
    lastRank = rank;
    total += Number(m[1]) * DURATION_UNIT_MS[unit];
    at = PART.lastIndex;
  }
  return Number.isSafeInteger(total) ? { ms: total } : { fault: 'range' };
}

/** Why a duration was refused; the message names the text. */
export class DurationError extends Error {
  constructor(
    readonly text: string,
    reason: string,
  ) {
    super(`invalid duration "${text}": ${reason}`);
    this.name = 'DurationError';
  }
}

const FAULT_REASON: Readonly<Record<DurationFault, string>> = {
  empty: 'empty (write e.g. 15s, 5m, 1h30m)',
  syntax: 'expected <number><unit> with unit one of ms, s, m, h, d, w, y',
  order: 'units must go from largest to smallest, each once',
  range: 'too long',
};

/**
 * Parses a Prometheus duration to milliseconds, throwing a {@link DurationError} that says
 * what is wrong.
 *
 * @example
 * ```ts
 * parseDuration('1h30m'); // 5_400_000
 * ```
 */
export function parseDuration(text: string): number {
  const reading = readDuration(text);
  if (reading.fault !== undefined) throw new DurationError(text, FAULT_REASON[reading.fault]);
  return reading.ms;
}

/**
 * Formats milliseconds as the shortest Prometheus duration.
 *
 * @example
 * ```ts
 * formatDuration(5_400_000); // '1h30m'
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of DURATION_UNITS) {
    const size = DURATION_UNIT_MS[unit];
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/**
 * Reads a duration or a plain decimal number of `unitMs` each, as the HTTP parameters that take
 * both do: Prometheus's query API counts a bare number in seconds (`unitMs` 1 000), kpi-lights's
 * history in milliseconds (`unitMs` 1). The number is tried first, as in Prometheus.
 *
 * @example
 * ```ts
 * readDurationOrNumber('1.5', 1_000); // { ms: 1_500 }
 * readDurationOrNumber('1m30s', 1_000); // { ms: 90_000 }
 * ```
 */
export function readDurationOrNumber(text: string, unitMs: number): DurationReading {
  const s = text.trim();
  if (!PLAIN_NUMBER.test(s)) return readDuration(s);
  const ms = Number(s) * unitMs;
  // Past ±2^53 ms (285 000 years) a number is no longer a duration anyone means.
  return Number.isFinite(ms) && Math.abs(ms) <= Number.MAX_SAFE_INTEGER
    ? { ms: Math.round(ms) }
    : { fault: 'range' };
}
