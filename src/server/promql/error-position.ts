/** Prometheus's `line:col: parse error: …` wording of a query error at a known place. */

/**
 * Words a parse or type error as Prometheus's API does: the line and column (1-based, counted in
 * bytes of UTF-8 as Go counts them) where it starts, then `parse error:` and the message.
 *
 * @example
 * ```ts
 * parseErrorText('rate(x[5m]', 10, 'unclosed left parenthesis');
 * // '1:11: parse error: unclosed left parenthesis'
 * ```
 */
export function parseErrorText(query: string, position: number, message: string): string {
  const before = query.slice(0, Math.max(0, Math.min(position, query.length)));
  const lastBreak = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
  const column = Buffer.byteLength(before.slice(lastBreak + 1)) + 1;
  return `${line}:${column}: parse error: ${message}`;
}
