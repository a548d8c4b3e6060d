/** The text key a KPI group is stored under: its `by:` labels in a fixed order. */

/**
 * Builds the key for one group of a `by:` KPI, `''` for a KPI without groups. Labels come in
 * the KPI's `by:` order and are quoted like PromQL, so the key is readable and unambiguous.
 *
 * @example
 * ```ts
 * groupKey({ agency: 'IRS', env: 'prod' }, ['agency']); // 'agency="IRS"'
 * ```
 */
export function groupKey(labels: Readonly<Record<string, string>>, by: readonly string[]): string {
  return by.map((name) => `${name}=${JSON.stringify(labels[name] ?? '')}`).join(',');
}
