/** The evaluator's dispatch: one AST node over a whole grid of steps at a time. */
import type { AggregateExpr, Expr, UnaryExpr } from '../ast.js';
import { evalAggregate } from './eval-aggregate.js';
import { evalBinary } from './eval-binary.js';
import { CallEvaluator } from './eval-call.js';
import type { EvalContext } from './eval-context.js';
import { evalMatrixSelector, evalVectorSelector } from './eval-selector.js';
import { evalSubquery } from './eval-subquery.js';
import type { EvalValue, Grid, SeriesCol } from './values.js';
import { constScalar, newCol } from './values.js';

function negate(e: UnaryExpr, v: EvalValue): EvalValue {
  if (e.op === '+') return v;
  if (v.type === 'scalar') return { type: 'scalar', values: v.values.map((x) => -x) };
  if (v.type !== 'vector') return v;
  const series: SeriesCol[] = v.series.map((s) => {
    const col = newCol(s.labels, s.values.length, true);
    for (let i = 0; i < s.values.length; i++) {
      if (!s.present[i]) continue;
      col.values[i] = -s.values[i];
      col.present[i] = 1;
    }
    return col;
  });
  return { type: 'vector', series };
}

/** Walks an expression tree for one query. */
export class Evaluator {
  private readonly calls: CallEvaluator;

  constructor(private readonly ctx: EvalContext) {
    this.calls = new CallEvaluator(ctx, (e, g) => this.eval(e, g));
  }

  /** Evaluates `expr` at every time of `grid`. */
  eval(expr: Expr, grid: Grid): EvalValue {
    const n = grid.times.length;
    this.ctx.poll();
    switch (expr.kind) {
      case 'number':
        return constScalar(expr.value, n);
      case 'string':
        return { type: 'string', value: expr.value };
      case 'paren':
        return this.eval(expr.expr, grid);
      case 'vector-selector':
        return evalVectorSelector(this.ctx, expr, grid).value;
      case 'matrix-selector':
        return evalMatrixSelector(this.ctx, expr, grid);
      case 'subquery':
        return evalSubquery(this.ctx, expr, grid, (e, g) => this.eval(e, g));
      case 'unary':
        return negate(expr, this.eval(expr.expr, grid));
      case 'binary':
        return evalBinary(expr, this.eval(expr.lhs, grid), this.eval(expr.rhs, grid), n);
      case 'aggregate':
        return this.aggregate(expr, grid);
      case 'call':
        return this.calls.eval(expr, grid);
    }
  }

  private aggregate(e: AggregateExpr, grid: Grid): EvalValue {
    const param = e.param ? this.eval(e.param, grid) : undefined;
    const input = this.eval(e.expr, grid);
    const vector = input.type === 'vector' ? input : { type: 'vector' as const, series: [] };
    return evalAggregate(e, vector, param, grid.times.length, (cells) => this.ctx.charge(cells));
  }
}
