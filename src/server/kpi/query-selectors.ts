/** The series selectors a PromQL query reads, found with Prometheus's own lezer grammar. */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import type { LabelMatcher, MatchType } from '../model/model.js';

/** One vector selector of a query: its matchers, the metric name included as `__name__`. */
export interface QuerySelector {
  /** The metric name, when the selector fixes one (`foo{…}`, `{"foo"}` or `{__name__="foo"}`). */
  readonly name: string | undefined;
  readonly matchers: readonly LabelMatcher[];
}

const OPS: Readonly<Record<string, MatchType>> = { '=': '=', '!=': '!=', '=~': '=~', '!~': '!~' };

/** A PromQL string literal's value: "…" and '…' with Go escapes, `…` raw. */
function unquote(text: string): string {
  const quote = text[0];
  const body = text.slice(1, -1);
  if (quote === '`') return body;
  // JSON reads the escapes PromQL shares with Go (\n, \t, \", \\, \uXXXX); the rest stay verbatim.
  const json = body.replace(/\\'/g, "'").replace(/"/g, (q, i: number) => {
    // Keep an already escaped quote as is; escape a bare one (legal inside '…').
    return i > 0 && body[i - 1] === '\\' ? q : '\\"';
  });
  try {
    return JSON.parse(`"${json}"`) as string;
  } catch {
    return body;
  }
}

function matcherOf(node: SyntaxNode, query: string): LabelMatcher | undefined {
  const nameNode = node.getChild('LabelName') ?? node.getChild('QuotedLabelName');
  const op = node.getChild('MatchOp');
  const value = node.getChild('StringLiteral');
  if (!(nameNode && op && value)) return undefined;
  const rawName = query.slice(nameNode.from, nameNode.to);
  const name = nameNode.name === 'QuotedLabelName' ? unquote(rawName) : rawName;
  const type = OPS[query.slice(op.from, op.to)];
  if (type === undefined) return undefined;
  return { name, type, value: unquote(query.slice(value.from, value.to)) };
}

function selectorOf(node: SyntaxNode, query: string): QuerySelector {
  const matchers: LabelMatcher[] = [];
  let name: string | undefined;
  const id = node.getChild('Identifier');
  if (id) name = query.slice(id.from, id.to);
  const list = node.getChild('LabelMatchers');
  for (let c = list?.firstChild ?? null; c !== null; c = c.nextSibling) {
    if (c.name === 'QuotedLabelName') {
      // `{"metric_name", …}`: a bare quoted name is the metric name.
      name = unquote(query.slice(c.from, c.to));
    } else if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher') {
      const m = matcherOf(c, query);
      if (m) matchers.push(m);
    }
  }
  const byName = matchers.find((m) => m.name === '__name__' && m.type === '=');
  if (name === undefined && byName) name = byName.value;
  if (name !== undefined && !byName) matchers.unshift({ name: '__name__', type: '=', value: name });
  return { name, matchers };
}

/**
 * Every vector selector in a query, in text order; `[]` for a query without any (e.g.
 * `vector(1)`) or one the grammar cannot read.
 *
 * @example
 * ```ts
 * querySelectors('sum(rate(x_bucket{le="2"}[5m]))');
 * // [{ name: 'x_bucket', matchers: [{ name: '__name__', type: '=', value: 'x_bucket' },
 * //                                 { name: 'le', type: '=', value: '2' }] }]
 * ```
 */
export function querySelectors(query: string): QuerySelector[] {
  const out: QuerySelector[] = [];
  const cursor = parser.parse(query).cursor();
  do {
    if (cursor.name === 'VectorSelector') out.push(selectorOf(cursor.node, query));
  } while (cursor.next());
  return out;
}
