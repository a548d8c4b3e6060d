/** Vector selectors and label lists from the lezer tree: matchers, metric names, regex checks. */
import type { SyntaxNode } from '@lezer/common';
import { errorMessage } from '../../shared/error-message.js';
import { compileValuePattern } from '../go-regex/value-pattern.js';
import type { LabelMatcher, MatchType } from '../model/model.js';
import type { VectorSelector } from './ast.js';
import { unquoteString } from './parse-literals.js';
import { PromqlError } from './promql-error.js';

/**
 * The child nodes of `node`, in order, without comments (lezer keeps them in the tree).
 * @example
 * childNodes(binaryNode).map((c) => c.name) // ['VectorSelector', 'Add', 'NumberDurationLiteral']
 */
export function childNodes(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
  return out;
}

/**
 * A label name written bare (`job`) or quoted (`"service.name"`, Prometheus 3 UTF-8 names).
 * @example
 * labelNameOf(quotedLabelNameNode, 'sum by ("a.b") (x)') // 'a.b'
 */
export function labelNameOf(node: SyntaxNode, text: string): string {
  const raw = text.slice(node.from, node.to);
  if (node.name === 'LabelName') return raw;
  const str = node.name === 'StringLiteral' ? node : node.getChild('StringLiteral');
  if (!str) throw new PromqlError('parse', `unexpected ${raw}`, { position: node.from });
  return unquoteString(text.slice(str.from, str.to), str.from);
}

/**
 * The label names of a `GroupingLabels` node: `(le, "a.b")` → `['le', 'a.b']`.
 * @example
 * groupingLabels(node, 'sum by (le) (x)') // ['le']
 */
export function groupingLabels(node: SyntaxNode, text: string): string[] {
  return childNodes(node)
    .filter((c) => c.name === 'LabelName' || c.name === 'QuotedLabelName')
    .map((c) => labelNameOf(c, text));
}

const MATCH_OPS: Readonly<Record<string, MatchType>> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};

function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.type) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return compileValuePattern(m.value).test('');
    case '!~':
      return !compileValuePattern(m.value).test('');
  }
}

function buildMatcher(node: SyntaxNode, text: string): LabelMatcher {
  // `{"my.metric"}` alone names the metric.
  if (node.name === 'QuotedLabelName') {
    return { name: '__name__', type: '=', value: labelNameOf(node, text) };
  }
  const [nameNode, opNode, valueNode] = childNodes(node);
  const opName = opNode?.firstChild?.name ?? '';
  const type = MATCH_OPS[opName];
  if (!nameNode || !valueNode || !type) {
    throw new PromqlError('parse', 'unexpected label matcher', { position: node.from });
  }
  const name = labelNameOf(nameNode, text);
  const value = unquoteString(text.slice(valueNode.from, valueNode.to), valueNode.from);
  if (type === '=~' || type === '!~') {
    try {
      compileValuePattern(value);
    } catch (e) {
      // Go's own text, as Prometheus reports it: "error parsing regexp: missing closing ): `(.*`";
      // a RangeError is a pattern too long to compile here, which Prometheus would accept.
      throw new PromqlError(e instanceof RangeError ? 'unsupported' : 'parse', errorMessage(e), {
        position: node.from,
        cause: e,
      });
    }
  }
  return { name, type, value };
}

/**
 * Builds a vector selector from a `VectorSelector` node; a metric name written before the
 * braces becomes the first `__name__` matcher.
 * @example
 * buildVectorSelector(node, 'up{job="a"}').matchers // [__name__="up", job="a"]
 */
export function buildVectorSelector(node: SyntaxNode, text: string): VectorSelector {
  const ident = node.getChild('Identifier');
  const name = ident ? text.slice(ident.from, ident.to) : undefined;
  const matcherList = node.getChild('LabelMatchers');
  const written = matcherList
    ? childNodes(matcherList)
        .filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',')
        .map((c) => buildMatcher(c, text))
    : [];
  const span = { start: node.from, end: node.to };
  const fail = (message: string): never => {
    throw new PromqlError('parse', message, { position: span.start });
  };
  if (name !== undefined) {
    const other = written.find((m) => m.name === '__name__');
    if (other) fail(`metric name must not be set twice: "${name}" or "${other.value}"`);
  }
  const matchers: LabelMatcher[] =
    name === undefined ? written : [{ name: '__name__', type: '=', value: name }, ...written];
  if (name === undefined && !written.some((m) => !matchesEmpty(m))) {
    fail('vector selector must contain at least one non-empty matcher');
  }
  return { kind: 'vector-selector', ...span, name, matchers, offsetMs: 0, at: undefined };
}
