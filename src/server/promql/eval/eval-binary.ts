/** Binary expressions: scalar–scalar, vector–scalar and vector–vector, every step at once. */
import type { BinaryExpr } from '../ast.js';
import { PromqlError } from '../promql-error.js';
import { arith, compare, isArithmetic, isComparison } from './binary-ops.js';
import type { EvalValue, ScalarValue, SeriesCol, VectorValue } from './values.js';
import { newCol } from './values.js';
import { vectorBinop } from './vector-matching.js';

function scalarScalar(e: BinaryExpr, a: Float64Array, b: Float64Array): ScalarValue {
  const n = a.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (isArithmetic(e.op)) out[i] = arith(e.op, a[i], b[i]);
    else if (isComparison(e.op)) out[i] = compare(e.op, a[i], b[i]) ? 1 : 0;
  }
  return { type: 'scalar', values: out };
}

/** A vector and a scalar; `swap` when the scalar is on the left. */
function vectorScalar(
  e: BinaryExpr,
  vec: readonly SeriesCol[],
  s: Float64Array,
  swap: boolean,
): VectorValue {
  const n = s.length;
  const out: SeriesCol[] = [];
  const comparison = isComparison(e.op);
  const dropsName = !comparison || e.returnBool;
  for (const c of vec) {
    const col = newCol(c.labels, n, dropsName || c.dropName);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!c.present[i]) continue;
      const v = c.values[i];
      const l = swap ? s[i] : v;
      const r = swap ? v : s[i];
      let value: number;
      if (comparison) {
        const keep = compare(e.op as never, l, r);
        if (e.returnBool) value = keep ? 1 : 0;
        else if (!keep) continue;
        else value = v;
      } else {
        value = arith(e.op as never, l, r);
      }
      col.values[i] = value;
      col.present[i] = 1;
      any = true;
    }
    if (any) out.push(col);
  }
  return { type: 'vector', series: out };
}

/** Evaluates a binary expression from its evaluated sides. */
export function evalBinary(e: BinaryExpr, lhs: EvalValue, rhs: EvalValue, n: number): EvalValue {
  if (lhs.type === 'scalar' && rhs.type === 'scalar')
    return scalarScalar(e, lhs.values, rhs.values);
  if (lhs.type === 'vector' && rhs.type === 'scalar') {
    return vectorScalar(e, lhs.series, rhs.values, false);
  }
  if (lhs.type === 'scalar' && rhs.type === 'vector') {
    return vectorScalar(e, rhs.series, lhs.values, true);
  }
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    return {
      type: 'vector',
      series: vectorBinop(e.op, lhs.series, rhs.series, e.matching, e.returnBool, n),
    };
  }
  throw new PromqlError(
    'type',
    `binary expression must contain only scalar and instant vector types`,
    { position: e.start },
  );
}
