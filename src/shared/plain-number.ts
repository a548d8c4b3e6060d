/** The plain decimal number that API time and duration parameters accept beside their other forms. */

/**
 * A decimal number with an optional sign, fraction and exponent (`15`, `-0.5`, `.5`, `1e3`), and
 * nothing else: no `Infinity`, `NaN` or hex, which `Number()` alone would accept.
 *
 * @example
 * ```ts
 * PLAIN_NUMBER.test('1700000000.5'); // true
 * PLAIN_NUMBER.test('0x10'); // false
 * ```
 */
export const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
