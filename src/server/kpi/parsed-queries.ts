/** Each KPI query's selectors, parsed once per query text and forgotten when no KPI uses it. */
import { type QuerySelector, querySelectors } from './query-selectors.js';

/**
 * A cache of {@link querySelectors} by query text. Rounds read it on every evaluation; a policy
 * change drops the queries no KPI runs any more.
 *
 * @example
 * ```ts
 * const queries = new ParsedQueries();
 * queries.selectors('sum(rate(http_requests_total[5m]))'); // parsed now, cached after
 * queries.retain(policy.kpis.map((k) => k.query));
 * ```
 */
export class ParsedQueries {
  readonly #parsed = new Map<string, QuerySelector[]>();

  /** The selectors of `query`; throws, like {@link querySelectors}, if it does not parse. */
  selectors(query: string): QuerySelector[] {
    let s = this.#parsed.get(query);
    if (!s) {
      s = querySelectors(query);
      this.#parsed.set(query, s);
    }
    return s;
  }

  /** Forgets every query not in `queries`. */
  retain(queries: Iterable<string>): void {
    const keep = new Set(queries);
    for (const q of this.#parsed.keys()) if (!keep.has(q)) this.#parsed.delete(q);
  }
}
