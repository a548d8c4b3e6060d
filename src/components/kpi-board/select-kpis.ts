/** Which KPIs a board shows: a list of ids, an id pattern with `*`, or every KPI. */

/** The board's two ways to choose. */
export interface KpiChoice {
  /** Comma-separated ids, shown in this order. */
  readonly kpis?: string | undefined;
  /** An id pattern where `*` matches any run of characters, e.g. `efile-*`. */
  readonly filter?: string | undefined;
}

function idPattern(filter: string): RegExp {
  const parts = filter.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/**
 * The ids to show, from the server's ids in its order. A listed id the server lacks is kept,
 * so its light can say so rather than vanish.
 *
 * @example
 * ```ts
 * selectKpis(['efile-errors', 'efile-latency', 'payments'], { filter: 'efile-*' });
 * // ['efile-errors', 'efile-latency']
 * ```
 */
export function selectKpis(ids: readonly string[], choice: KpiChoice): string[] {
  const listed = (choice.kpis ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const pattern =
    choice.filter === undefined || choice.filter.trim() === ''
      ? undefined
      : idPattern(choice.filter.trim());
  const chosen = listed.length > 0 ? listed : ids;
  return pattern === undefined ? [...chosen] : chosen.filter((id) => pattern.test(id));
}
