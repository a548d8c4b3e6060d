/** Prometheus duration text (`15s`, `1h30m`, `35d`) to milliseconds and back. */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/** Units largest first: Prometheus requires them in this order, each at most once. */
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

const PART = /(\d+)(ms|[smhdwy])/y;

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

/**
 * Parses a Prometheus duration: one or more `<integer><unit>` parts, units `ms s m h d w y`,
 * largest first, each at most once. `0` alone means zero.
 *
 * @example
 * ```ts
 * parseDuration('1h30m'); // 5_400_000
 * ```
 */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  if (text === '') throw new DurationError(text, 'empty (write e.g. 15s, 5m, 1h30m)');
  let at = 0;
  let total = 0;
  let lastRank = -1;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) {
      throw new DurationError(
        text,
        `expected <number><unit> with unit one of ms, s, m, h, d, w, y`,
      );
    }
    const rank = ORDER.indexOf(m[2] as (typeof ORDER)[number]);
    if (rank <= lastRank) {
      throw new DurationError(text, 'units must go from largest to smallest, each once');
    }
    lastRank = rank;
    total += Number(m[1]) * UNIT_MS[m[2]];
    at = PART.lastIndex;
  }
  if (!Number.isSafeInteger(total)) throw new DurationError(text, 'too long');
  return total;
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
  for (const unit of ORDER) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
