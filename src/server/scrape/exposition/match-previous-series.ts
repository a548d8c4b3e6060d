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
  const last = Math.min(previous.length, s.previousCursor + LOOKAHEAD + 1);
  for (let i = s.previousCursor; i < last; i++) {
    const expected = previous[i];
    const series = expected.series;
    const end = start + series.length;
    // A slice and `===` compare natively; `startsWith` walks the characters one by one and
    // costs several times more on long series texts.
    if (text.substring(start, end) !== series) continue;
    if (series.charCodeAt(series.length - 1) !== BRACE_CLOSE && !endsBareName(text, end)) continue;
    s.previousCursor = i + 1;
    s.recentMetricName = expected.name;
    s.pos = end;
    return expected;
  }
  return undefined;
}

/** After a bare metric name at `end`: blanks, then anything but a label block. */
function endsBareName(text: string, end: number): boolean {
  let c = text.charCodeAt(end);
  if (c !== SPACE && c !== TAB) return false;
  while (c === SPACE || c === TAB) c = text.charCodeAt(++end);
  return c !== BRACE_OPEN;
}
