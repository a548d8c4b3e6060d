/** How far before its evaluation time a query reads samples: what a store must keep for it. */
import type { Expr } from './ast.js';

/** Prometheus's default lookback of an instant selector, ms. */
export const DEFAULT_LOOKBACK_MS = 300_000;

/**
 * The longest stretch before the evaluation time that `expr` reads: a range selector's range
 * plus its offset, an instant selector's lookback plus its offset, a subquery's range and
 * offset plus what its inner query reads before each inner step. A selector pinned with `@`
 * reads a fixed time, not a window, and counts 0.
 *
 * @example
 * ```ts
 * readWindowMs(parsePromql('rate(x[5m] offset 1h)')); // 3_900_000
 * readWindowMs(parsePromql('max_over_time(rate(x[5m])[3d:1m])')); // 3 d + 5 min
 * ```
 */
export function readWindowMs(expr: Expr, lookbackMs = DEFAULT_LOOKBACK_MS): number {
  const w = (e: Expr): number => readWindowMs(e, lookbackMs);
  switch (expr.kind) {
    case 'number':
    case 'string':
      return 0;
    case 'vector-selector':
      return expr.at === undefined ? Math.max(0, expr.offsetMs + lookbackMs) : 0;
    case 'matrix-selector':
      return expr.vector.at === undefined ? Math.max(0, expr.vector.offsetMs + expr.rangeMs) : 0;
    case 'subquery':
      return expr.at === undefined ? Math.max(0, expr.offsetMs + expr.rangeMs + w(expr.expr)) : 0;
    case 'paren':
    case 'unary':
      return w(expr.expr);
    case 'binary':
      return Math.max(w(expr.lhs), w(expr.rhs));
    case 'aggregate':
      return Math.max(w(expr.expr), expr.param === undefined ? 0 : w(expr.param));
    case 'call':
      return expr.args.reduce((most, arg) => Math.max(most, w(arg)), 0);
  }
}
