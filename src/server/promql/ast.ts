/** The typed PromQL syntax tree the evaluator walks; built from Prometheus's own lezer grammar. */
import type { LabelMatcher } from '../model/model.js';

/** The four PromQL value types. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Character offsets of a node in the query text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** `@` modifier: a fixed time in ms, or the query's `start()` / `end()`. */
export type AtModifier = number | 'start' | 'end';

export interface NumberLiteral extends Span {
  readonly kind: 'number';
  readonly value: number;
}

export interface StringLiteral extends Span {
  readonly kind: 'string';
  readonly value: string;
}

export interface VectorSelector extends Span {
  readonly kind: 'vector-selector';
  /** The metric name if written before the braces; it is also present as a `__name__` matcher. */
  readonly name: string | undefined;
  readonly matchers: readonly LabelMatcher[];
  readonly offsetMs: number;
  readonly at: AtModifier | undefined;
}

export interface MatrixSelector extends Span {
  readonly kind: 'matrix-selector';
  readonly vector: VectorSelector;
  readonly rangeMs: number;
}

export interface Subquery extends Span {
  readonly kind: 'subquery';
  readonly expr: Expr;
  readonly rangeMs: number;
  /** 0 means "the default evaluation interval". */
  readonly stepMs: number;
  readonly offsetMs: number;
  readonly at: AtModifier | undefined;
}

export interface ParenExpr extends Span {
  readonly kind: 'paren';
  readonly expr: Expr;
}

export interface UnaryExpr extends Span {
  readonly kind: 'unary';
  readonly op: '-' | '+';
  readonly expr: Expr;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** Vector matching of a binary expression (`on`, `ignoring`, `group_left`, `group_right`). */
export interface VectorMatching {
  readonly card: Cardinality;
  /** True for `on(...)`, false for `ignoring(...)` or no clause. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** Extra labels named in `group_left(...)` / `group_right(...)`. */
  readonly include: readonly string[];
}

export interface BinaryExpr extends Span {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** The `bool` modifier on a comparison. */
  readonly returnBool: boolean;
  /** Present when both sides are vectors. */
  readonly matching: VectorMatching | undefined;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface AggregateExpr extends Span {
  readonly kind: 'aggregate';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** The first argument of `topk`, `bottomk`, `limitk`, `limit_ratio`, `quantile`, `count_values`. */
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  /** True for `without (...)`, false for `by (...)` or no clause. */
  readonly without: boolean;
}

export interface CallExpr extends Span {
  readonly kind: 'call';
  readonly func: string;
  readonly args: readonly Expr[];
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Subquery
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | CallExpr;
