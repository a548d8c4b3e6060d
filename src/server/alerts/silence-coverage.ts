/** Whether a silence's matchers would mute every alert there can be: judged by what each matcher accepts, not by how it is spelt. */

/** One matcher as a test of a label's value (an absent label is `''`). */
export interface ValueTest {
  readonly name: string;
  readonly accepts: (value: string) => boolean;
}

/**
 * Labels every alert carries, never empty: a matcher on them need not accept `''` to match
 * every alert (`alertname=~".+"`, `alertname!=""`).
 */
export const ALWAYS_SET_LABELS: ReadonlySet<string> = new Set(['alertname', 'severity']);

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

/**
 * Values of every kind a label can take: each printable ASCII character alone, all of them
 * together, letters and digits in runs, other scripts, symbols, a newline, long values. A
 * matcher that accepts all of these (and every value the silence itself names) excludes, at
 * most, values no alert will carry.
 */
const PROBES: readonly string[] = [
  ...PRINTABLE,
  PRINTABLE.join(''),
  'EfileErrorRateHigh',
  'critical',
  'warning',
  'page',
  'efile-error-rate',
  'agency=IRS',
  'a\nb',
  '\t',
  'é',
  'Ωμέγα',
  '日本語',
  '🙂',
  'zz-no-such-label-value-7f3a9c',
  '0123456789',
  'x'.repeat(300),
  'ab'.repeat(5_000),
];

/**
 * True when the matchers would mute every possible alert. Matchers are a conjunction, so they
 * mute everything only if each matcher accepts every value its label can take: any string
 * (an absent label reads `''`), or any non-empty string for {@link ALWAYS_SET_LABELS}. Each
 * matcher is tried on a wide set of values plus every value the silence names (so `!="IRS"`
 * is seen to refuse `IRS`). A matcher that accepts every value is always caught; one that
 * refuses only values no probe resembles is taken for "everything", which is what it mutes.
 *
 * @example
 * ```ts
 * mutesEveryAlert([{ name: 'alertname', accepts: (v) => v !== '' }], []); // true: alertname=~".+"
 * mutesEveryAlert([{ name: 'agency', accepts: (v) => v === 'IRS' }], ['IRS']); // false
 * ```
 */
export function mutesEveryAlert(tests: readonly ValueTest[], named: readonly string[]): boolean {
  const values = [...PROBES, ...named];
  return tests.every((t) => {
    const domain = ALWAYS_SET_LABELS.has(t.name) ? values.filter((v) => v !== '') : ['', ...values];
    return domain.every((v) => t.accepts(v));
  });
}
