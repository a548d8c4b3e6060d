/** Reads one double-quoted string (a label value or a quoted UTF-8 name) and undoes its escapes. */
import type { Scanner } from './scanner.js';

const NEWLINE = 10;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Reads the quoted string whose opening quote is at `s.pos` and leaves `s.pos` after the closing
 * quote. `\\`, `\"` and `\n` are unescaped; any other escape is kept as written, as Prometheus
 * does. `what` names the string in error messages ("label value", "metric name", ...).
 */
export function readQuoted(s: Scanner, what: string): string {
  const text = s.text;
  const open = s.pos;
  let pos = open + 1;
  // Most values carry no escapes: find the closing quote and slice once.
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === QUOTE) {
      s.pos = pos + 1;
      return text.slice(open + 1, pos);
    }
    if (c === BACKSLASH) break;
    if (c === NEWLINE || pos >= s.end) unclosed(s, open, what);
    pos++;
  }
  return readEscaped(s, open, pos, what);
}

/** The slow path: `pos` is at the first backslash. Chunks are joined once, never re-copied. */
function readEscaped(s: Scanner, open: number, pos: number, what: string): string {
  const text = s.text;
  const parts: string[] = [];
  let chunkStart = open + 1;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === QUOTE) {
      parts.push(text.slice(chunkStart, pos));
      s.pos = pos + 1;
      return parts.join('');
    }
    if (c === NEWLINE || pos >= s.end) unclosed(s, open, what);
    if (c !== BACKSLASH) {
      pos++;
      continue;
    }
    const next = text.charCodeAt(pos + 1);
    if (next === NEWLINE || pos + 1 >= s.end) unclosed(s, open, what);
    if (next === BACKSLASH || next === QUOTE) {
      parts.push(text.slice(chunkStart, pos));
      chunkStart = pos + 1; // keep the escaped character itself
    } else if (next === 110 /* n */) {
      parts.push(text.slice(chunkStart, pos), '\n');
      chunkStart = pos + 2;
    }
    pos += 2;
  }
}

function unclosed(s: Scanner, open: number, what: string): never {
  s.fail(open, `${what} has no closing double quote before the end of the line`);
}
