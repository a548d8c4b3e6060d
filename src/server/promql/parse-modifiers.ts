/** Postfix PromQL modifiers — `[range]`, `[range:step]`, `offset`, `@` — applied to a parsed operand. */
import type { SyntaxNode } from '@lezer/common';
import type { AtModifier, Expr } from './ast.js';
import { parseDurationMs, parseSignedNumber } from './parse-literals.js';
import { childNodes } from './parse-selector.js';
import { PromqlError } from './promql-error.js';
import { checkSubquery } from './type-check.js';

/** Lezer node names of the postfix modifiers this module applies. */
export const POSTFIX_NODES: ReadonlySet<string> = new Set([
  'MatrixSelector',
  'SubqueryExpr',
  'OffsetExpr',
  'StepInvariantExpr',
]);

function fail(message: string, position: number, kind: 'parse' | 'type' = 'parse'): never {
  throw new PromqlError(kind, message, { position });
}

/** Milliseconds of a `DurationExpr`/`OffsetDurationExpr`; duration arithmetic is refused. */
function durationMs(node: SyntaxNode, text: string): number {
  const parts = childNodes(node);
  const [first, second] = parts;
  if (parts.length === 1 && first!.name === 'NumberDurationLiteralInDurationContext') {
    return parseDurationMs(text.slice(first!.from, first!.to), first!.from);
  }
  if (parts.length === 1 && first!.name === node.name) return durationMs(first!, text);
  if (parts.length === 2 && first!.name === 'UnaryOp') {
    const sign = text.slice(first!.from, first!.to) === '-' ? -1 : 1;
    return sign * durationMs(second!, text);
  }
  throw new PromqlError('unsupported', 'not supported: duration expressions', {
    position: node.from,
  });
}

function positiveDurationMs(node: SyntaxNode, text: string): number {
  const ms = durationMs(node, text);
  if (ms <= 0) fail('duration must be greater than 0', node.from);
  return ms;
}

function atOf(node: SyntaxNode, text: string, position: number): AtModifier {
  if (node.name === 'AtModifierPreprocessors') {
    return node.firstChild?.name === 'AtStart' ? 'start' : 'end';
  }
  const seconds = parseSignedNumber(text.slice(node.from, node.to), node.from);
  const ms = Math.round(seconds * 1000);
  if (!Number.isSafeInteger(ms)) {
    fail(`timestamp out of bounds for @ modifier: ${seconds}`, position);
  }
  return ms;
}

/**
 * Applies the modifier of postfix node `mod` to the already-built `inner` expression, with
 * Prometheus's rules: ranges only on plain selectors, each of `offset` and `@` at most once,
 * subqueries only over instant vectors.
 * @example
 * applyModifier(offsetNode, selector, 'x offset 5m') // selector with offsetMs 300000
 */
export function applyModifier(mod: SyntaxNode, inner: Expr, text: string): Expr {
  const parts = childNodes(mod);
  const span = { start: inner.start, end: mod.to };
  switch (mod.name) {
    case 'MatrixSelector': {
      if (inner.kind !== 'vector-selector') {
        return fail('ranges only allowed for vector selectors', span.start, 'type');
      }
      if (inner.offsetMs !== 0) fail('no offset modifiers allowed before range', span.start);
      if (inner.at !== undefined) fail('no @ modifiers allowed before range', span.start);
      const rangeMs = positiveDurationMs(parts[1]!, text);
      return { kind: 'matrix-selector', ...span, vector: inner, rangeMs };
    }
    case 'SubqueryExpr': {
      checkSubquery(inner, span);
      const [, rangeNode, stepNode, extra] = parts;
      if (extra) fail(`unexpected "${text.slice(extra.from, extra.to)}"`, extra.from);
      const rangeMs = positiveDurationMs(rangeNode!, text);
      const stepMs = stepNode ? positiveDurationMs(stepNode, text) : 0;
      return {
        kind: 'subquery',
        ...span,
        expr: inner,
        rangeMs,
        stepMs,
        offsetMs: 0,
        at: undefined,
      };
    }
    case 'OffsetExpr': {
      const offsetMs = durationMs(parts[parts.length - 1]!, text);
      const twice = 'offset may not be set multiple times';
      if (inner.kind === 'vector-selector' || inner.kind === 'subquery') {
        if (inner.offsetMs !== 0) fail(twice, span.start);
        return { ...inner, ...span, offsetMs };
      }
      if (inner.kind === 'matrix-selector') {
        if (inner.vector.offsetMs !== 0) fail(twice, span.start);
        return { ...inner, ...span, vector: { ...inner.vector, offsetMs } };
      }
      return fail(
        'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
        span.start,
      );
    }
    case 'StepInvariantExpr': {
      const at = atOf(parts[parts.length - 1]!, text, span.start);
      const twice = '@ <timestamp> may not be set multiple times';
      if (inner.kind === 'vector-selector' || inner.kind === 'subquery') {
        if (inner.at !== undefined) fail(twice, span.start);
        return { ...inner, ...span, at };
      }
      if (inner.kind === 'matrix-selector') {
        if (inner.vector.at !== undefined) fail(twice, span.start);
        return { ...inner, ...span, vector: { ...inner.vector, at } };
      }
      return fail(
        '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
        span.start,
      );
    }
    default:
      return fail(`unexpected ${mod.name}`, mod.from);
  }
}
