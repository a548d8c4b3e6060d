/** The PromQL check the loader runs on every query: the embedded engine's own parser and type checks. */
import { PromqlError, parsePromql, typeOf } from '../promql/index.js';
import { readWindowMs } from '../promql/read-window.js';
import { documentedType } from '../promql/type-check.js';
import type { QueryCheck } from './semantic-checks.js';

/**
 * Checks a query exactly as the embedded engine will read it: syntax, types, function arity,
 * and whether the engine supports it at all (`not supported: …` is an error, since the embedded
 * engine is the only query source a policy can name today). A KPI's query must give an instant
 * vector or a scalar, the only results a light can show. Blames the character the parser names.
 *
 * @example
 * ```ts
 * engineQueryCheck('rate(x)');
 * // { kind: 'type', message: 'expected type range vector in call to function "rate", got instant vector', offset: 5 }
 * ```
 */
export const engineQueryCheck: QueryCheck = (query) => {
  let type: ReturnType<typeof typeOf>;
  try {
    type = typeOf(parsePromql(query));
  } catch (err) {
    if (!(err instanceof PromqlError)) throw err;
    // An error at the end of the text blames its last character, which the file has.
    const offset =
      err.position === undefined ? undefined : Math.min(err.position, query.length - 1);
    const kind = err.kind === 'unsupported' || err.kind === 'type' ? err.kind : 'syntax';
    return {
      kind,
      message: err.message,
      offset: offset === undefined ? undefined : Math.max(0, offset),
    };
  }
  if (type !== 'vector' && type !== 'scalar') {
    return {
      kind: 'type',
      message: `a KPI query must give an instant vector or a scalar, got ${documentedType(type)}`,
      offset: 0,
    };
  }
  return undefined;
};

/** The check the loader runs when the caller does not give one. */
export const defaultQueryCheck: QueryCheck = engineQueryCheck;

/**
 * How far back a query reads samples, by the embedded engine's parser; undefined when it does
 * not parse (the query check says why).
 *
 * @example
 * ```ts
 * engineReadWindow('sum(rate(x[1h]))'); // 3_600_000
 * ```
 */
export function engineReadWindow(query: string): number | undefined {
  try {
    return readWindowMs(parsePromql(query));
  } catch (err) {
    if (err instanceof PromqlError) return undefined;
    throw err;
  }
}
