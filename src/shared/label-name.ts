/** The one rule for a label name, used by the policy, the scraper, the exporter and silences. */

/**
 * A valid label name in the Prometheus data model (the classic character set). Names starting
 * with `__` match too; {@link checkLabelName} decides whether a reader reserves them.
 */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** What a reader of label names refuses beyond the character set. */
export interface LabelNameRules {
  /** Names starting with `__`, which Prometheus keeps for itself, are refused. Default true. */
  readonly refuseDoubleUnderscore?: boolean;
  /** Names this reader sets itself, each with the advice the refusal gives. */
  readonly reserved?: Readonly<Record<string, string>>;
}

/**
 * Why `name` cannot be a label name for this reader, or `undefined` when it can. Each reader
 * wraps the answer in its own error (a policy issue, a `TargetConfigError`, …), so the rule
 * and its words are the same everywhere.
 *
 * @example
 * ```ts
 * checkLabelName('9lives'); // 'is not a valid label name: letters, digits and _, not starting with a digit'
 * checkLabelName('job', { reserved: { job: "set it with the target's job field instead" } });
 * checkLabelName('service'); // undefined
 * ```
 */
export function checkLabelName(name: string, rules: LabelNameRules = {}): string | undefined {
  if (!LABEL_NAME.test(name)) {
    return 'is not a valid label name: letters, digits and _, not starting with a digit';
  }
  if (rules.refuseDoubleUnderscore !== false && name.startsWith('__')) {
    return 'label names starting with __ are reserved';
  }
  const advice = rules.reserved && Object.hasOwn(rules.reserved, name) && rules.reserved[name];
  return advice ? `"${name}" is reserved: ${advice}` : undefined;
}
