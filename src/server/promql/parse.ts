/** PromQL text → typed AST, via Prometheus's own lezer grammar, with Prometheus's type checks. */
import type { SyntaxNode } from '@lezer/common';
import type {
  AggregateExpr,
  AggregateOp,
  BinaryExpr,
  BinaryOp,
  CallExpr,
  Expr,
  Span,
  UnaryExpr,
} from './ast.js';
import { FUNCTION_SIGNATURES } from './function-signatures.js';
import { parseWithinLimits } from './parse-limits.js';
import { parseSignedNumber, unquoteString } from './parse-literals.js';
import { applyModifier, POSTFIX_NODES } from './parse-modifiers.js';
import { buildVectorSelector, childNodes, groupingLabels } from './parse-selector.js';
import { aliasNewerFunctions, assertSyntax, normalizeNumbers } from './parse-syntax.js';
import { PromqlError } from './promql-error.js';
import {
  checkAggregate,
  checkBinary,
  checkCall,
  checkUnary,
  type MatchingClause,
} from './type-check.js';

const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const AGGREGATE_OPS: Readonly<Record<string, AggregateOp>> = {
  Sum: 'sum',
  Avg: 'avg',
  Min: 'min',
  Max: 'max',
  Count: 'count',
  Group: 'group',
  Stddev: 'stddev',
  Stdvar: 'stdvar',
  Topk: 'topk',
  Bottomk: 'bottomk',
  Quantile: 'quantile',
  CountValues: 'count_values',
  LimitK: 'limitk',
  LimitRatio: 'limit_ratio',
};

const UNSUPPORTED_NODES: Readonly<Record<string, string>> = {
  AnchoredExpr: 'anchored',
  SmoothedExpr: 'smoothed',
  FillModifier: 'fill modifiers',
};

/**
 * Parses and type-checks a PromQL expression. Throws `PromqlError` with kind `parse` (not
 * PromQL), `type` (types do not fit) or `unsupported` (valid PromQL this engine refuses), and
 * the character offset where the problem starts.
 * @example
 * const expr = parsePromql('sum by (job) (rate(http_requests_total[5m]))');
 * expr.kind // 'aggregate'
 */
export function parsePromql(query: string): Expr {
  const text = normalizeNumbers(query);
  const tree = parseWithinLimits(aliasNewerFunctions(text));
  assertSyntax(text, tree);
  const top = childNodes(tree.topNode)[0];
  if (!top) throw new PromqlError('parse', 'no expression found in input', { position: 0 });
  return new TreeReader(text).expr(top);
}

class TreeReader {
  constructor(private readonly text: string) {}

  private src(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private unsupported(what: string, node: SyntaxNode): never {
    throw new PromqlError('unsupported', `not supported: ${what}`, { position: node.from });
  }

  private fail(message: string, at: Span | SyntaxNode, kind: 'parse' | 'type' = 'parse'): never {
    throw new PromqlError(kind, message, { position: 'start' in at ? at.start : at.from });
  }

  expr(node: SyntaxNode): Expr {
    const span = { start: node.from, end: node.to };
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', ...span, value: parseSignedNumber(this.src(node), node.from) };
      case 'StringLiteral':
        return { kind: 'string', ...span, value: unquoteString(this.src(node), node.from) };
      case 'VectorSelector':
        return buildVectorSelector(node, this.text);
      case 'ParenExpr':
        return { kind: 'paren', ...span, expr: this.expr(this.firstExpr(node)) };
      case 'UnaryExpr':
        return this.unary(node, []);
      case 'BinaryExpr':
        return this.binary(node, []);
      case 'AggregateExpr':
        return this.aggregate(node, span);
      case 'FunctionCall':
        return this.call(node, span);
      case 'MatrixSelector':
      case 'SubqueryExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
        return this.postfixed(node, []);
      default:
        return this.unsupported(UNSUPPORTED_NODES[node.name] ?? node.name, node);
    }
  }

  private firstExpr(node: SyntaxNode): SyntaxNode {
    const first = childNodes(node)[0];
    if (!first) this.fail('unexpected end of input', { start: node.to, end: node.to });
    return first;
  }

  /**
   * Lezer binds `[range]`, `offset` and `@` looser than operators (`a + b offset 5m` arrives as
   * `(a + b) offset 5m`); Prometheus binds them to the nearest operand. So modifiers found
   * around a binary or unary expression are handed down to its rightmost operand.
   * `mods` lists postfix nodes to apply, innermost first.
   */
  private postfixed(node: SyntaxNode, mods: readonly SyntaxNode[]): Expr {
    if (POSTFIX_NODES.has(node.name)) return this.postfixed(childNodes(node)[0]!, [node, ...mods]);
    if (mods.length === 0) return this.expr(node);
    if (node.name === 'BinaryExpr') return this.binary(node, mods);
    if (node.name === 'UnaryExpr') return this.unary(node, mods);
    return mods.reduce((inner, mod) => applyModifier(mod, inner, this.text), this.expr(node));
  }

  private unary(node: SyntaxNode, mods: readonly SyntaxNode[]): UnaryExpr {
    const [opNode, operandNode] = childNodes(node);
    const span = { start: node.from, end: mods.at(-1)?.to ?? node.to };
    const operand = this.postfixed(operandNode!, mods);
    checkUnary(operand, span);
    return { kind: 'unary', ...span, op: this.src(opNode!) === '-' ? '-' : '+', expr: operand };
  }

  private binary(node: SyntaxNode, mods: readonly SyntaxNode[]): Expr {
    const parts = childNodes(node);
    const span = { start: node.from, end: mods.at(-1)?.to ?? node.to };
    const lhsNode = parts[0]!;
    const rhsNode = parts[parts.length - 1]!;
    const op = BINARY_OPS[parts[1]!.name];
    if (!op) return this.fail(`unexpected ${this.src(parts[1]!)}`, parts[1]!);
    let returnBool = false;
    let clause: MatchingClause | undefined;
    for (const modifier of parts.slice(2, -1)) {
      if (modifier.name === 'BoolModifier') returnBool = true;
      else if (modifier.name === 'MatchingModifierClause') clause = this.matchingClause(modifier);
      else this.unsupported(UNSUPPORTED_NODES[modifier.name] ?? modifier.name, modifier);
    }
    // Lezer folds the sign into a number literal, so `-2 ^ 2` arrives as (-2) ^ 2. Prometheus
    // binds `^` tighter than unary minus: it means -(2 ^ 2).
    const signed =
      op === '^' && lhsNode.name === 'NumberDurationLiteral'
        ? /^[-+]/.exec(this.src(lhsNode))
        : null;
    if (signed) {
      const digitsAt =
        this.text.slice(lhsNode.from + 1, lhsNode.to).search(/\S/) + lhsNode.from + 1;
      const unsignedLhs: Expr = {
        kind: 'number',
        start: digitsAt,
        end: lhsNode.to,
        value: Math.abs(parseSignedNumber(this.src(lhsNode), lhsNode.from)),
      };
      const rhs = this.postfixed(rhsNode, mods);
      const inner = this.binaryOf(op, unsignedLhs, rhs, returnBool, clause, {
        ...span,
        start: digitsAt,
      });
      return { kind: 'unary', ...span, op: signed[0] === '-' ? '-' : '+', expr: inner };
    }
    const lhs = this.expr(lhsNode);
    return this.binaryOf(op, lhs, this.postfixed(rhsNode, mods), returnBool, clause, span);
  }

  private binaryOf(
    op: BinaryOp,
    lhs: Expr,
    rhs: Expr,
    returnBool: boolean,
    clause: MatchingClause | undefined,
    span: Span,
  ): BinaryExpr {
    const matching = checkBinary(op, lhs, rhs, returnBool, clause, span);
    return { kind: 'binary', ...span, op, lhs, rhs, returnBool, matching };
  }

  private matchingClause(node: SyntaxNode): MatchingClause {
    const parts = childNodes(node);
    const lists = parts.filter((p) => p.name === 'GroupingLabels');
    const groupNode = parts.find((p) => p.name === 'GroupLeft' || p.name === 'GroupRight');
    return {
      on: parts[0]?.name === 'On',
      labels: lists[0] ? groupingLabels(lists[0], this.text) : [],
      group: groupNode ? (groupNode.name === 'GroupLeft' ? 'left' : 'right') : undefined,
      include: lists[1] ? groupingLabels(lists[1], this.text) : [],
    };
  }

  private aggregate(node: SyntaxNode, span: Span): AggregateExpr {
    const opNode = node.getChild('AggregateOp')!.firstChild!;
    const op = AGGREGATE_OPS[opNode.name];
    if (!op) return this.unsupported(UNSUPPORTED_NODES[opNode.name] ?? this.src(opNode), opNode);
    const modifier = node.getChild('AggregateModifier');
    const labelsNode = modifier?.getChild('GroupingLabels');
    const body = node.getChild('FunctionCallBody')!;
    const args = childNodes(body).map((c) => this.expr(c));
    const [param, expr] = checkAggregate(op, args, span);
    return {
      kind: 'aggregate',
      ...span,
      op,
      expr,
      param,
      grouping: labelsNode ? groupingLabels(labelsNode, this.text) : [],
      without: modifier?.firstChild?.name === 'Without',
    };
  }

  private call(node: SyntaxNode, span: Span): CallExpr {
    const nameNode = node.getChild('FunctionIdentifier')!;
    const func = this.src(nameNode);
    const signature = FUNCTION_SIGNATURES[func];
    if (!signature) return this.fail(`unknown function with name "${func}"`, nameNode);
    if (!signature.supported) return this.unsupported(func, nameNode);
    const body = node.getChild('FunctionCallBody')!;
    const args = childNodes(body).map((c) => this.expr(c));
    checkCall(func, signature, args, span);
    return { kind: 'call', ...span, func, args };
  }
}

export { typeOf } from './type-check.js';
