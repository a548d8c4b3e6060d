/** The one error the exposition parser throws: where the input is malformed, and why. */

/**
 * Malformed exposition text. `line` and `column` are 1-based; the column counts UTF-16 code
 * units from the start of the line (the same as characters for ASCII text).
 *
 * @example
 * ```ts
 * try {
 *   parseExposition('up{job 1\n');
 * } catch (err) {
 *   if (err instanceof ExpositionError) console.log(err.line, err.column, err.reason);
 * }
 * ```
 */
export class ExpositionError extends Error {
  /** 1-based line of the offending character. */
  readonly line: number;
  /** 1-based column of the offending character. */
  readonly column: number;
  /** The reason alone, without the position. */
  readonly reason: string;

  constructor(line: number, column: number, reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'ExpositionError';
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}
