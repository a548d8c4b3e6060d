/** The selector lint of query alerts, told to its listener only when a rule's warnings change. */
import type { Policy } from '../policy/types.js';

/** Hears the selector lint's warnings on a query alert's query when they change (`[]`: none now). */
export type AlertLintListener = (rule: string, warnings: readonly string[]) => void;

/** A query alert's rule name and query. */
export interface AlertQuery {
  readonly rule: string;
  readonly query: string;
}

/** The policy's query alerts, which have no KPI reading to carry their lint. */
export function queryAlerts(policy: Policy): AlertQuery[] {
  return policy.alerts.flatMap((a) =>
    a.condition.kind === 'query' ? [{ rule: a.name, query: a.condition.query }] : [],
  );
}

/**
 * Remembers the warnings last told for each query alert, so the listener hears changes only.
 *
 * @example
 * ```ts
 * const changes = new AlertLintChanges((rule, warnings) => log(rule, warnings));
 * changes.tell(queryAlerts(policy), await lint.warnings(queries, context));
 * ```
 */
export class AlertLintChanges {
  /** Each rule's warnings as last told, joined by newlines. */
  readonly #told = new Map<string, string>();
  readonly #listener: AlertLintListener | undefined;

  /** @param listener hears a rule and its warnings (`[]`: none now) each time they change */
  constructor(listener: AlertLintListener | undefined) {
    this.#listener = listener;
  }

  /** Tells the listener each query alert whose warnings changed; forgets rules no longer given. */
  tell(rules: readonly AlertQuery[], lint: ReadonlyMap<string, readonly string[]>): void {
    const live = new Set(rules.map((r) => r.rule));
    for (const rule of this.#told.keys()) if (!live.has(rule)) this.#told.delete(rule);
    for (const { rule, query } of rules) {
      const warnings = lint.get(query) ?? [];
      const key = warnings.join('\n');
      if ((this.#told.get(rule) ?? '') === key) continue;
      this.#told.set(rule, key);
      try {
        this.#listener?.(rule, warnings);
      } catch {
        // A listener's bug must not stop the loop.
      }
    }
  }
}
