/** Recognises a sample line that repeats, at its place, a series of the previous exposition. */
import type { PreviousSeries } from './exposition-types.js';
import type { Scanner } from './scanner.js';

const TAB = 9;
const SPACE = 32;
const BRACE_OPEN = 123;
const BRACE_CLOSE = 125;

/**
 * How many expected series a line may skip over: series the target stopped exposing. A larger
 * gap costs one scrape the fast path after the gap, until the next scrape learns the new order.
 */
const LOOKAHEAD = 8;

/** Lines that may miss before the parse gives up guessing, when few or none have matched. */
const MISS_ALLOWANCE = 16;

/**
 * With a sample line at `start`: if it begins with the series text expected at its place in
 * `previous` (or a few places on), returns that series and leaves `s.pos` after its text.
 * Otherwise returns undefined and moves nothing.
 *
 * A matched text is delimited exactly as `readSample` would delimit it: a label block closes at
 * its own `}` whatever follows (what follows is checked as on any line), and a bare metric name
 * must be followed by blanks and no `{`.
 */
export function matchPreviousSeries(
  s: Scanner,
  previous: readonly PreviousSeries[],
  start: number,
): PreviousSeries | undefined {
  const text = s.text;
  const stop = Math.min(previous.length, s.previousCursor + LOOKAHEAD + 1);
  for (let i = s.previousCursor; i < stop; i++) {
    const expected = previous[i];
    const series = expected.series;
    const last = series.length - 1;
    const end = start + series.length;
    // The last characters of two series texts mostly differ (their last label value), or the
    // texts end at different places: two character checks turn most wrong guesses away, so a
    // target whose lines move costs little more than one whose lines are all new.
    if (
      text.charCodeAt(end - 1) !== series.charCodeAt(last) ||
      (last >= 2 && text.charCodeAt(end - 3) !== series.charCodeAt(last - 2))
    ) {
      continue;
    }
    // A slice and `===` compare natively; `startsWith` walks the characters one by one and
    // costs several times more on long series texts.
    if (text.substring(start, end) !== series) continue;
    if (series.charCodeAt(series.length - 1) !== BRACE_CLOSE && !endsBareName(text, end)) continue;
    s.previousCursor = i + 1;
    s.recentMetricName = expected.name;
    s.pos = end;
    return expected;
  }
  // A target whose lines change places every time would pay for the guesses on every line:
  // once lines miss far more often than they match, the rest of the parse stops guessing.
  if (++s.previousMisses > 2 * s.previousCursor + MISS_ALLOWANCE) s.previousSeries = undefined;
  return undefined;
}

/** After a bare metric name at `end`: blanks, then anything but a label block. */
function endsBareName(text: string, end: number): boolean {
  let c = text.charCodeAt(end);
  if (c !== SPACE && c !== TAB) return false;
  while (c === SPACE || c === TAB) c = text.charCodeAt(++end);
  return c !== BRACE_OPEN;
}
