/** Which content coding to answer with, from a request's `Accept-Encoding` and q-values (RFC 9110 §12.5.3). */

/** A coding the server can send a file in; `identity` is the file as it is. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

/** Below every q-value a header can give (the least is 0.001), above refusal. */
const IDENTITY_UNNAMED_Q = 0.0001;

/** One `coding;q=…` of the header, read; `undefined` when it cannot be read. */
function readElement(element: string): { coding: string; q: number } | undefined {
  const [name = '', ...params] = element.split(';').map((part) => part.trim());
  if (name === '') return undefined;
  let q = 1;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
    const value = param.slice(eq + 1).trim();
    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return undefined;
    q = Number(value);
  }
  const coding = name.toLowerCase();
  // RFC 9110 §8.4.1.3: a recipient should treat x-gzip as gzip.
  return { coding: coding === 'x-gzip' ? 'gzip' : coding, q };
}

/**
 * Picks the coding to send: the one the request accepts with the highest q-value, ties going
 * to the earlier in `offered` (the server's order, smallest first). No header means only
 * `identity` is wanted (what a client that names no coding can surely read); `*` stands for
 * every coding the header does not name; `identity` is acceptable unless `identity;q=0`, or
 * `*;q=0` without `identity`, rules it out, and when not named it comes after every coding
 * the header accepts. Returns `undefined` when nothing offered is
 * acceptable: the answer is then 406. Elements that cannot be read are skipped.
 *
 * @example
 * ```ts
 * negotiateEncoding('gzip, deflate, br', ['br', 'gzip', 'identity']); // 'br'
 * negotiateEncoding('br;q=0, gzip', ['br', 'gzip', 'identity']);      // 'gzip'
 * negotiateEncoding(undefined, ['br', 'gzip', 'identity']);           // 'identity'
 * ```
 */
export function negotiateEncoding(
  header: string | undefined,
  offered: readonly ContentCoding[],
): ContentCoding | undefined {
  const named = new Map<string, number>();
  for (const element of (header ?? '').split(',')) {
    const read = readElement(element);
    // A coding named twice keeps its first q-value.
    if (read !== undefined && !named.has(read.coding)) named.set(read.coding, read.q);
  }
  const star = named.get('*');
  // Unnamed, identity is acceptable but the least wanted: "br;q=0.5" still means br.
  const qOf = (coding: ContentCoding): number =>
    named.get(coding) ?? star ?? (coding === 'identity' ? IDENTITY_UNNAMED_Q : 0);
  let best: ContentCoding | undefined;
  let bestQ = 0;
  for (const coding of offered) {
    const q = qOf(coding);
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}
