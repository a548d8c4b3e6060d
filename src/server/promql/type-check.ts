/** Prometheus's parse-time type rules for PromQL nodes, with its error messages. */
import type {
  AggregateOp,
  BinaryOp,
  ComparisonOp,
  Expr,
  SetOp,
  Span,
  ValueType,
  VectorMatching,
} from './ast.js';
import { FUNCTION_SIGNATURES, type FunctionSignature } from './function-signatures.js';
import { PromqlError } from './promql-error.js';

/**
 * The value type an expression evaluates to.
 * @example
 * typeOf(parsePromql('rate(x[5m])')) // 'vector'
 */
export function typeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector-selector':
    case 'aggregate':
      return 'vector';
    case 'matrix-selector':
    case 'subquery':
      return 'matrix';
    case 'paren':
    case 'unary':
      return typeOf(expr.expr);
    case 'binary':
      return typeOf(expr.lhs) === 'scalar' && typeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'call':
      return FUNCTION_SIGNATURES[expr.func]?.returnType ?? 'vector';
  }
}

/**
 * The names Prometheus's messages use for value types.
 * @example
 * documentedType('matrix') // 'range vector'
 */
export function documentedType(type: ValueType): string {
  switch (type) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return type;
  }
}

function typeError(message: string, at: Span): PromqlError {
  return new PromqlError('type', message, { position: at.start });
}

function expectType(expr: Expr, want: ValueType, context: string): void {
  const got = typeOf(expr);
  if (got !== want) {
    throw typeError(
      `expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`,
      expr,
    );
  }
}

const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set<ComparisonOp>([
  '==',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
]);
const SET_OPS: ReadonlySet<BinaryOp> = new Set<SetOp>(['and', 'or', 'unless']);

/**
 * True for `==`, `!=`, `>`, `<`, `>=`, `<=`.
 * @example
 * isComparisonOp('>=') // true
 */
export function isComparisonOp(op: BinaryOp): op is ComparisonOp {
  return COMPARISON_OPS.has(op);
}

/**
 * True for `and`, `or`, `unless`.
 * @example
 * isSetOp('unless') // true
 */
export function isSetOp(op: BinaryOp): op is SetOp {
  return SET_OPS.has(op);
}

/** A parsed `on`/`ignoring` clause before the operand types are known. */
export interface MatchingClause {
  readonly on: boolean;
  readonly labels: readonly string[];
  readonly group: 'left' | 'right' | undefined;
  readonly include: readonly string[];
}

/**
 * Checks a binary expression as Prometheus's checkAST does and returns its vector matching:
 * undefined unless both operands are instant vectors; set operators are many-to-many.
 * @example
 * checkBinary('+', lhs, rhs, false, undefined, span) // { card: 'one-to-one', on: false, ... }
 */
export function checkBinary(
  op: BinaryOp,
  lhs: Expr,
  rhs: Expr,
  returnBool: boolean,
  clause: MatchingClause | undefined,
  at: Span,
): VectorMatching | undefined {
  const lt = typeOf(lhs);
  const rt = typeOf(rhs);
  if (returnBool && !isComparisonOp(op)) {
    throw typeError('bool modifier can only be used on comparison operators', at);
  }
  if (isComparisonOp(op) && !returnBool && lt === 'scalar' && rt === 'scalar') {
    throw typeError('comparisons between scalars must use BOOL modifier', at);
  }
  if (clause?.on) {
    const clash = clause.labels.find((l) => clause.include.includes(l));
    if (clash !== undefined) {
      throw typeError(`label "${clash}" must not occur in ON and GROUP clause at once`, at);
    }
  }
  for (const [side, type] of [
    [lhs, lt],
    [rhs, rt],
  ] as const) {
    if (type !== 'scalar' && type !== 'vector') {
      throw typeError('binary expression must contain only scalar and instant vector types', side);
    }
  }
  if (lt !== 'vector' || rt !== 'vector') {
    if (clause && clause.labels.length > 0) {
      throw typeError('vector matching only allowed between instant vectors', at);
    }
    if (isSetOp(op)) {
      throw typeError(`set operator "${op}" not allowed in binary scalar expression`, at);
    }
    return undefined;
  }
  let card: VectorMatching['card'] =
    clause?.group === 'left'
      ? 'many-to-one'
      : clause?.group === 'right'
        ? 'one-to-many'
        : 'one-to-one';
  if (isSetOp(op)) {
    if (card !== 'one-to-one') throw typeError(`no grouping allowed for "${op}" operation`, at);
    card = 'many-to-many';
  }
  return {
    card,
    on: clause?.on ?? false,
    labels: clause?.labels ?? [],
    include: clause?.include ?? [],
  };
}

const PARAM_TYPES: Partial<Record<AggregateOp, ValueType>> = {
  topk: 'scalar',
  bottomk: 'scalar',
  limitk: 'scalar',
  limit_ratio: 'scalar',
  quantile: 'scalar',
  count_values: 'string',
};

/**
 * Checks an aggregation's argument count and types; returns its `[param, expr]`.
 * @example
 * checkAggregate('topk', [five, x], span) // [five, x]
 */
export function checkAggregate(
  op: AggregateOp,
  args: readonly Expr[],
  at: Span,
): [Expr | undefined, Expr] {
  if (args.length === 0) throw typeError('no arguments for aggregate expression provided', at);
  const paramType = PARAM_TYPES[op];
  const want = paramType ? 2 : 1;
  if (args.length !== want) {
    throw typeError(
      `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      at,
    );
  }
  const expr = args[want - 1]!;
  expectType(expr, 'vector', 'aggregation expression');
  const param = paramType ? args[0]! : undefined;
  if (param && paramType) expectType(param, paramType, 'aggregation parameter');
  return [param, expr];
}

function argCountError(
  signature: FunctionSignature,
  name: string,
  got: number,
): string | undefined {
  const max = signature.argTypes.length;
  const min = max - signature.optionalArgs;
  if (signature.optionalArgs === 0 && !signature.variadic) {
    return got === max ? undefined : `expected ${max} argument(s) in call to "${name}", got ${got}`;
  }
  if (got < min) return `expected at least ${min} argument(s) in call to "${name}", got ${got}`;
  if (!signature.variadic && got > max) {
    return `expected at most ${max} argument(s) in call to "${name}", got ${got}`;
  }
  return undefined;
}

/**
 * Checks a function call's argument count and types against its signature.
 * @example
 * checkCall('rate', [vectorSelector], span) // throws: expected type range vector ...
 */
export function checkCall(
  name: string,
  signature: FunctionSignature,
  args: readonly Expr[],
  at: Span,
): void {
  const countError = argCountError(signature, name, args.length);
  if (countError) throw typeError(countError, at);
  const { argTypes } = signature;
  args.forEach((arg, i) => {
    const want = argTypes[Math.min(i, argTypes.length - 1)]!;
    expectType(arg, want, `call to function "${name}"`);
  });
}

/**
 * Unary `-`/`+` apply to scalars and instant vectors only.
 * @example
 * checkUnary(matrixSelector, span) // throws a `type` PromqlError
 */
export function checkUnary(operand: Expr, at: Span): void {
  const t = typeOf(operand);
  if (t !== 'scalar' && t !== 'vector') {
    throw typeError(
      `unary expression only allowed on expressions of type scalar or instant vector, got "${documentedType(t)}"`,
      at,
    );
  }
}

/**
 * A subquery needs an instant-vector expression inside.
 * @example
 * checkSubquery(matrixSelector, span) // throws: subquery is only allowed on instant vector ...
 */
export function checkSubquery(inner: Expr, at: Span): void {
  const t = typeOf(inner);
  if (t !== 'vector') {
    throw typeError(`subquery is only allowed on instant vector, got ${t} instead`, at);
  }
}
