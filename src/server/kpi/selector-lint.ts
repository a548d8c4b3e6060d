/** Warns when a query's selector matches nothing and never will: a metric no target exposes, a label it lacks, a value of another form. */
import { LABEL_NAME } from '../../shared/label-name.js';
import { compileMatcher } from '../model/label-matcher.js';
import type { LabelMatcher } from '../model/model.js';
import { closest } from '../policy/issue-messages.js';
import type { QueryOptions, QuerySource } from '../source/query-source.js';
import { bucketWarning } from './bucket-lint.js';
import { mayFeed, type ScrapeHealthView, targetLabels } from './down-targets.js';
import { couldMatchLater } from './label-value-forms.js';
import type { QuerySelector } from './query-selectors.js';
import { type LabelValueCounts, SelectorProbe } from './selector-probe.js';

/** Options of {@link lintSelectors}. */
export interface SelectorLintOptions extends QueryOptions {
  /** The time the selectors are judged at, ms: the round's. */
  readonly atMs: number;
  /**
   * Reads target health; asked before and after the selectors are judged. A selector that a
   * target not up (down, or not scraped yet) may feed is left undecided, and so is one whose
   * targets scraped again while it was judged (a failed scrape's staleness markers may have
   * hidden its series for a moment). Target labels also tell which label names say *where* a
   * series comes from (`service`, `job`), so other labels are judged per place. Default: none.
   */
  readonly targets?: () => readonly TargetView[] | Promise<readonly TargetView[]>;
}

/** A target's health as a source reports it; `lastScrape` (when given) tells a new scrape. */
export type TargetView = ScrapeHealthView & { readonly lastScrape?: string | null };

/** What the lint says of one query. */
export interface QueryLint {
  readonly warnings: readonly string[];
  /** Some selector could not be judged now (a target it may read is not up, or the source failed). */
  readonly undecided: boolean;
}

type Verdict = 'seen' | 'later' | { readonly warning: string };

const MAX_VALUES_QUOTED = 10;
/** How a warning about a metric no target exposes begins. */
const ABSENT = 'no target exposes';
/** What a counter, summary or histogram adds to the name a user may have written. */
const SUFFIXES = ['_total', '_count', '_sum', '_bucket'];

/** `status="500"` as written in a selector. */
function matcherText(m: LabelMatcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}

/** Values for a message: sorted, the first few, and how many there are in all. */
function quoteValues(values: readonly string[]): string {
  const sorted = [...values].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const shown = sorted.slice(0, MAX_VALUES_QUOTED).join(', ');
  return sorted.length > MAX_VALUES_QUOTED ? `${shown}, … (${sorted.length} values)` : shown;
}

/** Where a series comes from: the labels targets put on every series, and Prometheus's own. */
function placeLabels(targets: readonly ScrapeHealthView[]): Set<string> {
  const names = new Set(['job', 'instance']);
  for (const t of targets) for (const name of Object.keys(targetLabels(t))) names.add(name);
  return names;
}

/** A matcher that only a non-empty value satisfies (`=` or `=~`): the only kind that can be sure to miss. */
function needsValue(m: LabelMatcher): boolean {
  if (m.name === '__name__' || !(m.type === '=' || m.type === '=~')) return false;
  try {
    return !compileMatcher(m).matchesEmpty;
  } catch {
    return false;
  }
}

class SelectorJudge {
  readonly #probe: SelectorProbe;
  readonly #source: QuerySource;
  readonly #opts: QueryOptions;
  readonly #places: ReadonlySet<string>;

  constructor(source: QuerySource, probe: SelectorProbe, opts: QueryOptions, places: Set<string>) {
    this.#source = source;
    this.#probe = probe;
    this.#opts = opts;
    this.#places = places;
  }

  async warnings(s: QuerySelector & { name: string }): Promise<string[]> {
    if (await this.#probe.matchesAny(s.matchers)) return [];
    const byName: LabelMatcher[] = [{ name: '__name__', type: '=', value: s.name }];
    if (!(await this.#probe.matchesAny(byName))) return [await this.#absent(s.name)];
    const positive = s.matchers.filter(needsValue);
    const places = positive.filter((m) => this.#places.has(m.name));
    const out: string[] = [];
    for (const m of positive) {
      const everywhere = await this.#judge(s.name, m, byName, undefined);
      if (typeof everywhere === 'object') {
        out.push(everywhere.warning);
        continue;
      }
      if (this.#places.has(m.name) || places.length === 0) continue;
      // Fine on the metric, but maybe only by what another exporter writes: judge it again
      // where the selector's own service, job or instance is.
      const here = await this.#judge(s.name, m, [...byName, ...places], places);
      if (typeof here === 'object') out.push(here.warning);
    }
    return out;
  }

  async #judge(
    metric: string,
    m: LabelMatcher,
    scope: readonly LabelMatcher[],
    place: readonly LabelMatcher[] | undefined,
  ): Promise<Verdict> {
    const counts: LabelValueCounts = await this.#probe.values(m.name, scope);
    if (counts.size === 0) return 'seen'; // nothing there to judge by
    const { matches } = compileMatcher(m);
    const values = [...counts.keys()];
    if (values.some(matches)) return 'seen';
    const seen = values.filter((v) => v !== '');
    const where = place ? ` where ${place.map(matcherText).join(',')}` : '';
    const head = `${metric}{${matcherText(m)}} can never match${where}`;
    if (seen.length === 0) {
      const others = await this.#labelNames(scope);
      const listed = others.length > 0 ? ` (it has ${others.join(', ')})` : '';
      return { warning: `${head}: ${metric} has no label ${m.name}${listed}` };
    }
    if (m.name === 'le' && metric.endsWith('_bucket')) {
      const histogram = metric.slice(0, -'_bucket'.length);
      const bucket = m.type === '=' ? bucketWarning(histogram, m.value, new Set(seen)) : undefined;
      if (bucket !== undefined) return { warning: bucket };
    } else if (couldMatchLater(m, seen)) {
      return 'later';
    }
    return {
      warning: `${head}: ${m.name} has ${quoteValues(seen)}; ${JSON.stringify(m.value)} matches none`,
    };
  }

  /** The label names a metric's series carry, for a message; none when the source cannot list series. */
  async #labelNames(scope: readonly LabelMatcher[]): Promise<string[]> {
    try {
      const series = (await this.#source.series?.(scope, this.#opts)) ?? [];
      const names = new Set<string>();
      for (const labels of series.slice(0, 1_000))
        for (const n of Object.keys(labels)) names.add(n);
      names.delete('__name__');
      return [...names].sort();
    } catch {
      return [];
    }
  }

  async #absent(metric: string): Promise<string> {
    // Names of the same family (`http_…`): a hint without reading every name the head holds.
    const family = metric.split('_')[0] || metric;
    let names: string[] = [];
    try {
      names = await this.#probe.names([{ name: '__name__', type: '=~', value: `${family}.*` }]);
    } catch {
      // The hint is optional.
    }
    // A missing suffix first (`http_errors` for `http_errors_total`), then a typo; never the
    // `_created` series a client writes beside each counter.
    const named = names.filter((n) => !n.endsWith('_created'));
    const hint =
      SUFFIXES.map((suffix) => metric + suffix).find((n) => named.includes(n)) ??
      closest(metric, named) ??
      named.find((n) => n.startsWith(metric) || metric.startsWith(n));
    return hint !== undefined
      ? `${ABSENT} ${metric} (did you mean ${hint}?): the selector matches nothing`
      : `${ABSENT} ${metric}: check its name (a metric with labels appears only after its first event)`;
  }
}

/**
 * Warnings for every selector of a query that matches no series now and cannot be expected to:
 *
 * - a metric name no target exposes (with the nearest exposed name as a hint);
 * - a label the metric's series never carry (`code` on an exporter that writes `status`);
 * - an `=` or `=~` matcher that none of the label's values satisfies, nor any value of the same
 *   form (`status="500"` against `2xx`, `4xx`), quoting the values;
 * - a bucket bound spelled another way (`le="1"` against `le="1.0"`), as the bucket lint says it.
 *
 * It tells "no errors yet" from "never": a value not seen but of the form of those seen
 * (`500` beside `200`, `5xx` beside `2xx`, `DELETE` beside `GET`) is quiet, and so is a
 * selector a down or not yet scraped target may feed (reported as `undecided`). A label value
 * seen on the metric is judged again where the selector's own `service`, `job` or `instance`
 * is, so a Python service's `status="2xx"` is not excused by a Go service's `"500"`. A source
 * that reports targets but has none yet leaves every selector undecided. Negative
 * matchers (`!=`, `!~`) are never blamed. Needs a source that lists series, as both real ones
 * do; a table of answers gets no warnings. A failing source makes the query `undecided`.
 *
 * @example
 * ```ts
 * const lint = await lintSelectors(querySelectors('sum(rate(http_requests_total{status="500"}[5m]))'),
 *   source, { atMs: Date.now(), targets: () => source.targets?.() ?? [] });
 * // { warnings: ['http_requests_total{status="500"} can never match: status has 2xx, 4xx; "500" matches none'], undecided: false }
 * ```
 */
export async function lintSelectors(
  selectors: readonly QuerySelector[],
  source: QuerySource,
  options: SelectorLintOptions,
): Promise<QueryLint> {
  if (!source.series) return { warnings: [], undecided: false };
  const { atMs, targets: readTargets = () => [], ...opts } = options;
  const before = await readTargets();
  // A source that reports targets but has none yet (Prometheus hands new targets to its
  // scrapers every few seconds) has nothing to judge by.
  if (source.targets && before.length === 0) return { warnings: [], undecided: true };
  const probe = new SelectorProbe(source, atMs, opts);
  const judge = new SelectorJudge(source, probe, opts, placeLabels(before));
  const judged: { readonly selector: QuerySelector; readonly warnings: string[] }[] = [];
  let undecided = false;
  for (const s of selectors) {
    const { name } = s;
    if (name === undefined || !s.matchers.every((m) => LABEL_NAME.test(m.name))) continue;
    if (before.some((t) => t.health !== 'up' && mayFeed(s, t))) {
      undecided = true;
      continue;
    }
    try {
      judged.push({ selector: s, warnings: await judge.warnings({ ...s, name }) });
    } catch {
      undecided = true;
    }
  }
  const after = judged.some((j) => j.warnings.length > 0) ? await readTargets() : before;
  const warnings: string[] = [];
  for (const { selector, warnings: found } of judged) {
    if (found.length > 0 && !steady(selector, before, after)) {
      undecided = true;
      continue;
    }
    for (const w of found) if (!warnings.includes(w)) warnings.push(w);
  }
  return { warnings, undecided };
}

/**
 * Whether a warning is the one about a metric no target exposes: the next scrape may clear it,
 * since a metric with labels appears only after its first event.
 *
 * @example
 * ```ts
 * isAbsentMetricWarning('no target exposes http_requests_total: check its name (…)'); // true
 * ```
 */
export function isAbsentMetricWarning(warning: string): boolean {
  return warning.startsWith(`${ABSENT} `);
}

/** The targets a selector may read were up, and scraped no more, from `before` to `after`. */
function steady(
  s: QuerySelector,
  before: readonly TargetView[],
  after: readonly TargetView[],
): boolean {
  const feeding = (list: readonly TargetView[]) =>
    JSON.stringify(
      list
        .filter((t) => mayFeed(s, t))
        .map((t) => [t.url, t.job, t.health, t.lastScrape ?? null])
        .sort(),
    );
  return (
    feeding(before) === feeding(after) && after.every((t) => t.health === 'up' || !mayFeed(s, t))
  );
}
