/** What the selector lint asks a source, as small PromQL instant queries: is a selector empty, which values does a label take. */
import type { LabelMatcher } from '../model/model.js';
import { selectorText } from '../source/prometheus-source.js';
import type { QueryOptions, QuerySource } from '../source/query-source.js';

/** How many series carry each value of one label (`''` for series without it). */
export type LabelValueCounts = ReadonlyMap<string, number>;

/**
 * The lint's questions, each one instant query at the round's time, so they see what the KPI
 * query sees (series with a sample in the lookback) and cost one small answer whatever the
 * number of series: `count(sel)` and `count by (label) (sel)`. The same text goes to the
 * embedded engine and to a Prometheus server, so both say the same.
 *
 * @example
 * ```ts
 * const probe = new SelectorProbe(source, Date.now(), { timeoutMs: 5_000 });
 * await probe.values('status', [{ name: '__name__', type: '=', value: 'http_requests_total' }]);
 * // Map { '200' => 4, '404' => 1 }
 * ```
 */
export class SelectorProbe {
  readonly #source: QuerySource;
  readonly #atMs: number;
  readonly #opts: QueryOptions | undefined;
  readonly #asked = new Map<string, Promise<Map<string, number>>>();

  constructor(source: QuerySource, atMs: number, opts?: QueryOptions) {
    this.#source = source;
    this.#atMs = atMs;
    this.#opts = opts;
  }

  /** True when some series matches every matcher now. */
  async matchesAny(matchers: readonly LabelMatcher[]): Promise<boolean> {
    const counts = await this.#count(`count(${selectorText(matchers)})`, undefined);
    return counts.size > 0;
  }

  /** The values `label` takes on the series matching every matcher, with how many carry each. */
  values(label: string, matchers: readonly LabelMatcher[]): Promise<LabelValueCounts> {
    return this.#count(`count by (${label}) (${selectorText(matchers)})`, label);
  }

  /** The metric names of series matching `matchers` (e.g. `{__name__=~"http_.*"}`). */
  async names(matchers: readonly LabelMatcher[]): Promise<string[]> {
    return [...(await this.values('__name__', matchers)).keys()].filter((n) => n !== '');
  }

  /** Asks each distinct query once per probe: several selectors of a query share questions. */
  #count(expr: string, label: string | undefined): Promise<Map<string, number>> {
    let answer = this.#asked.get(expr);
    if (!answer) {
      answer = this.#source.instant(expr, this.#atMs, this.#opts).then((result) => {
        const counts = new Map<string, number>();
        if (result.resultType !== 'vector') return counts;
        for (const s of result.result) {
          const value = label === undefined ? '' : (s.metric[label] ?? '');
          counts.set(value, (counts.get(value) ?? 0) + s.point[1]);
        }
        return counts;
      });
      this.#asked.set(expr, answer);
    }
    return answer;
  }
}
