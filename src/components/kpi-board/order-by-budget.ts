/** The board's `sort="budget"`: the KPIs whose error budget has least left come first. */

/**
 * Orders `ids` by the budget each has left, least first (an overspent one before a spent one);
 * KPIs with no budget (no objective, or nothing counted yet) follow in their given order.
 *
 * @example
 * ```ts
 * orderByBudget(['a', 'b', 'c'], (id) => ({ a: 0.9, c: 0.1 })[id]); // ['c', 'a', 'b']
 * ```
 */
export function orderByBudget(
  ids: readonly string[],
  remaining: (id: string) => number | undefined,
): string[] {
  const left = (id: string) => {
    const r = remaining(id);
    return r === undefined || Number.isNaN(r) ? Number.POSITIVE_INFINITY : r;
  };
  // Array.prototype.sort is stable: ties and KPIs without a budget keep their order.
  return [...ids].sort((a, b) => left(a) - left(b));
}
