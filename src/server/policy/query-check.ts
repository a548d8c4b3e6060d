/** The PromQL check the loader uses unless told otherwise: a syntax check at load time. */
import { parser } from '@prometheus-io/lezer-promql';
import type { QueryCheck } from './semantic-checks.js';

/**
 * Syntax-checks a query with Prometheus's own lezer grammar, the one the engine parses with, and
 * blames the first character the grammar could not place. It knows syntax only; the engine's
 * parser (types, function arity) should replace it once it is available.
 *
 * @example
 * ```ts
 * grammarQueryCheck('sum(rate(x[1m])'); // { message: 'unexpected end of query', offset: 14 }
 * ```
 */
export const grammarQueryCheck: QueryCheck = (query) => {
  let offset: number | undefined;
  parser.parse(query).iterate({
    enter(node) {
      if (offset !== undefined) return false;
      if (node.type.isError) offset = node.from;
      return undefined;
    },
  });
  if (offset === undefined) return undefined;
  if (offset >= query.length) {
    return { message: 'unexpected end of query', offset: Math.max(0, query.length - 1) };
  }
  const token = /^(\w+|\S)/.exec(query.slice(offset))?.[0] ?? query[offset];
  return { message: `unexpected ${JSON.stringify(token)}`, offset };
};

/** The check the loader runs when the caller does not give one. */
export const defaultQueryCheck: QueryCheck = grammarQueryCheck;
