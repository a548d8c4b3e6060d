/** The selector lint across evaluation rounds: a query is linted when it is new, then on a slower schedule; its warnings are kept between. */
import type { QuerySource } from '../source/query-source.js';
import type { QuerySelector } from './query-selectors.js';
import { isAbsentMetricWarning, lintSelectors, type TargetView } from './selector-lint.js';

/** What one round gives the lint. */
export interface LintRoundContext {
  readonly source: QuerySource;
  /** The selectors of a query (throws when it does not parse). */
  readonly selectors: (query: string) => readonly QuerySelector[];
  /** The round's time, ms. */
  readonly atMs: number;
  readonly timeoutMs: number;
  /** Reads target health (the lint asks before and after it judges). */
  readonly targets: () => Promise<readonly TargetView[]>;
}

interface Linted {
  readonly warnings: readonly string[];
  readonly atMs: number;
  /** Judged in full; otherwise linted again next round. */
  readonly decided: boolean;
}

/**
 * Keeps each query's lint. A query seen for the first time (at load, after a `PUT`) is linted
 * in the round that first runs it, so a matcher that cannot match is a warning on that round's
 * reading; after that every `everyMs`. A query left undecided (a target it reads was not up,
 * or the source failed) is linted again the next round, and so is one that reads a metric no
 * target exposes yet: a service's first requests bring its labelled metrics with them, and the
 * warning must go as soon as they do, not a whole `everyMs` later.
 *
 * @example
 * ```ts
 * const lint = new LintRounds(60_000);
 * const warnings = await lint.warnings(queries, { source, selectors, atMs, timeoutMs, targets });
 * warnings.get(kpi.query); // ['no target exposes http_request_total (did you mean …?): …']
 * ```
 */
export class LintRounds {
  readonly #everyMs: number;
  readonly #linted = new Map<string, Linted>();

  constructor(everyMs: number) {
    this.#everyMs = everyMs;
  }

  /** The warnings of each query, linting those that are new, undecided or due. Never rejects. */
  async warnings(
    queries: readonly string[],
    context: LintRoundContext,
  ): Promise<ReadonlyMap<string, readonly string[]>> {
    const { atMs } = context;
    const due = [...new Set(queries)].filter((q) => {
      const last = this.#linted.get(q);
      if (!last?.decided) return true;
      // A clock that went back (a test, a replayed round) makes the old lint due as well.
      return atMs - last.atMs >= this.#everyMs || atMs < last.atMs;
    });
    await Promise.all(due.map((q) => this.#lint(q, context)));
    const out = new Map<string, readonly string[]>();
    for (const q of queries) out.set(q, this.#linted.get(q)?.warnings ?? []);
    return out;
  }

  /** Forgets every query not in `queries`. */
  retain(queries: Iterable<string>): void {
    const keep = new Set(queries);
    for (const q of this.#linted.keys()) if (!keep.has(q)) this.#linted.delete(q);
  }

  async #lint(query: string, context: LintRoundContext): Promise<void> {
    let selectors: readonly QuerySelector[];
    try {
      selectors = context.selectors(query);
    } catch {
      // A query that does not parse says so as its reading's reason.
      this.#linted.set(query, { warnings: [], atMs: context.atMs, decided: true });
      return;
    }
    const lint = await lintSelectors(selectors, context.source, {
      atMs: context.atMs,
      timeoutMs: context.timeoutMs,
      targets: context.targets,
    });
    this.#linted.set(query, {
      warnings: lint.warnings,
      atMs: context.atMs,
      decided: !lint.undecided && !lint.warnings.some(isAbsentMetricWarning),
    });
  }
}
