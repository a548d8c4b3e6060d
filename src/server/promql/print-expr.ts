/** A PromQL syntax tree back to text, as Prometheus prints it: one line, or laid out past 100 characters. */
import { formatDuration } from '../../shared/duration.js';
import type { LabelMatcher } from '../model/model.js';
import type { AtModifier, BinaryExpr, Expr, VectorMatching, VectorSelector } from './ast.js';

/** Prometheus splits an expression over lines once its one-line form is longer than this. */
const LINE_LIMIT = 100;
const INDENT = '  ';

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/**
 * Go's `strconv.Quote`: double quotes, the usual backslash escapes, `\x`, `\u` or `\U` for
 * what is not printable; printable Unicode stays as it is.
 *
 * @example
 * ```ts
 * goQuote('a"b\n'); // '"a\\"b\\n"'
 * ```
 */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const named = NAMED_ESCAPES[ch];
    if (named) out += named;
    else if (PRINTABLE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

/**
 * Go's `fmt.Sprint` of a float64 (`%v`, which is `strconv` 'g' with the shortest digits):
 * exponent form below 1e-4 and from 1e6 on, with at least two exponent digits.
 *
 * @example
 * ```ts
 * goFloat(1e6); // '1e+06'
 * goFloat(123456); // '123456'
 * goFloat(0.00001); // '1e-05'
 * ```
 */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, exp] = v.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 6) {
    const sign = e < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(v);
}

function atText(at: AtModifier | undefined): string {
  if (at === undefined) return '';
  if (at === 'start' || at === 'end') return ` @ ${at}()`;
  return ` @ ${(at / 1000).toFixed(3)}`;
}

function offsetText(ms: number): string {
  if (ms > 0) return ` offset ${formatDuration(ms)}`;
  if (ms < 0) return ` offset -${formatDuration(-ms)}`;
  return '';
}

function matcherText(m: LabelMatcher): string {
  return `${m.name}${m.type}${goQuote(m.value)}`;
}

/** The selector without its `@` and `offset`, which a range selector prints after the range. */
function selectorBody(s: VectorSelector): string {
  const shown = s.matchers
    .filter(
      (m) =>
        !(s.name !== undefined && m.name === '__name__' && m.type === '=' && m.value === s.name),
    )
    .map(matcherText)
    .sort();
  const name = s.name ?? '';
  return shown.length === 0 ? name : `${name}{${shown.join(',')}}`;
}

function matchingText(m: VectorMatching | undefined): string {
  if (!m || (!m.on && m.labels.length === 0)) return '';
  let text = ` ${m.on ? 'on' : 'ignoring'} (${m.labels.join(', ')})`;
  if (m.card === 'many-to-one' || m.card === 'one-to-many') {
    text += ` group_${m.card === 'many-to-one' ? 'left' : 'right'} (${m.include.join(', ')})`;
  }
  return text;
}

function operatorText(e: BinaryExpr): string {
  return `${e.op}${e.returnBool ? ' bool' : ''}${matchingText(e.matching)}`;
}

/** A unary sign on a number literal is the number itself, as Prometheus's parser folds it. */
function folded(e: Expr): Expr {
  if (e.kind !== 'unary') return e;
  const inner = folded(e.expr);
  if (inner.kind !== 'number') return inner === e.expr ? e : { ...e, expr: inner };
  return { ...inner, value: e.op === '-' ? -inner.value : inner.value };
}

function aggregateHead(e: Extract<Expr, { kind: 'aggregate' }>): string {
  if (e.without) return `${e.op} without (${e.grouping.join(', ')}) `;
  if (e.grouping.length > 0) return `${e.op} by (${e.grouping.join(', ')}) `;
  return e.op;
}

/**
 * An expression on one line, as Prometheus's `String()` writes it: matchers sorted, durations
 * in their largest units, `by` before the argument, numbers in Go's float form.
 *
 * @example
 * ```ts
 * printExpr(parsePromql('sum(rate(x[300s]))by(job)')); // 'sum by (job) (rate(x[5m]))'
 * ```
 */
export function printExpr(expr: Expr): string {
  const e = folded(expr);
  switch (e.kind) {
    case 'number':
      return goFloat(e.value);
    case 'string':
      return goQuote(e.value);
    case 'vector-selector':
      return `${selectorBody(e)}${atText(e.at)}${offsetText(e.offsetMs)}`;
    case 'matrix-selector':
      return `${selectorBody(e.vector)}[${formatDuration(e.rangeMs)}]${atText(e.vector.at)}${offsetText(e.vector.offsetMs)}`;
    case 'subquery': {
      const step = e.stepMs > 0 ? formatDuration(e.stepMs) : '';
      return `${printExpr(e.expr)}[${formatDuration(e.rangeMs)}:${step}]${atText(e.at)}${offsetText(e.offsetMs)}`;
    }
    case 'paren':
      return `(${printExpr(e.expr)})`;
    case 'unary':
      return `${e.op}${printExpr(e.expr)}`;
    case 'binary':
      return `${printExpr(e.lhs)} ${operatorText(e)} ${printExpr(e.rhs)}`;
    case 'aggregate': {
      const param = e.param ? `${printExpr(e.param)}, ` : '';
      return `${aggregateHead(e)}(${param}${printExpr(e.expr)})`;
    }
    case 'call':
      return `${e.func}(${e.args.map(printExpr).join(', ')})`;
  }
}

function pad(level: number): string {
  return INDENT.repeat(level);
}

function pretty(expr: Expr, level: number): string {
  const e = folded(expr);
  const line = printExpr(e);
  if (line.length <= LINE_LIMIT) {
    // A subquery that fits is written without the indent of its level, as Prometheus does.
    return e.kind === 'subquery' ? line : pad(level) + line;
  }
  switch (e.kind) {
    case 'aggregate': {
      const param = e.param ? `${pretty(e.param, level + 1)},\n` : '';
      return `${pad(level)}${aggregateHead(e)}(\n${param}${pretty(e.expr, level + 1)}\n${pad(level)})`;
    }
    case 'binary':
      return `${pretty(e.lhs, level + 1)}\n${pad(level)}${operatorText(e)}\n${pretty(e.rhs, level + 1)}`;
    case 'call': {
      const args = e.args.map((a) => pretty(a, level + 1)).join(',\n');
      return `${pad(level)}${e.func}(\n${args}\n${pad(level)})`;
    }
    case 'paren':
      return `${pad(level)}(\n${pretty(e.expr, level + 1)}\n${pad(level)})`;
    case 'subquery': {
      const step = e.stepMs > 0 ? formatDuration(e.stepMs) : '';
      return `${pretty(e.expr, level)}[${formatDuration(e.rangeMs)}:${step}]${atText(e.at)}${offsetText(e.offsetMs)}`;
    }
    case 'unary':
      return `${pad(level)}${e.op}${pretty(e.expr, level).trim()}`;
    default:
      return pad(level) + line;
  }
}

/**
 * An expression laid out as Prometheus's `format_query` answers it: on one line while it fits in
 * 100 characters, else each aggregation, call, parenthesis and binary operator opens lines
 * indented two spaces a level.
 *
 * @example
 * ```ts
 * formatQuery(parsePromql('sum(rate(x[5m])) by (job)')); // 'sum by (job) (rate(x[5m]))'
 * ```
 */
export function formatQuery(expr: Expr): string {
  return pretty(expr, 0);
}
