/** Element-wise arithmetic and comparison as Prometheus computes them on floats. */
import type { ArithmeticOp, BinaryOp, ComparisonOp } from '../ast.js';

const ARITHMETIC = new Set<BinaryOp>(['+', '-', '*', '/', '%', '^', 'atan2']);
const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

export function isArithmetic(op: BinaryOp): op is ArithmeticOp {
  return ARITHMETIC.has(op);
}

export function isComparison(op: BinaryOp): op is ComparisonOp {
  return COMPARISON.has(op);
}

/** `x ^ y` with Go's special cases where JavaScript differs (1^NaN, (-1)^±Inf). */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** One arithmetic operation. */
export function arith(op: ArithmeticOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return goPow(a, b);
    case 'atan2':
      return Math.atan2(a, b);
  }
}

/** One comparison; NaN compares false except with `!=`. */
export function compare(op: ComparisonOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
  }
}
