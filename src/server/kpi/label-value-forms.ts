/** Which label values a series may carry later, judged from the values it carries now: "no errors yet" versus "never". */
import { compileMatcher } from '../model/label-matcher.js';
import type { LabelMatcher } from '../model/model.js';

/**
 * Closed vocabularies exporters draw a label's values from. When a value seen belongs to one,
 * every word of it may turn up later in the same spelling: `GET` seen means `DELETE` may come,
 * `get` (Go's promhttp) means `delete` may, but never `DELETE`.
 */
const VOCABULARIES: readonly (readonly string[])[] = [
  // HTTP methods, as the Go client, Micrometer and most frameworks name them.
  ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'NOTIFY'],
  // Micrometer's `outcome` tag on HTTP timers.
  ['INFORMATIONAL', 'SUCCESS', 'REDIRECTION', 'CLIENT_ERROR', 'SERVER_ERROR', 'UNKNOWN'],
  ['TRUE', 'FALSE'],
];

/** More digits than this and a value's form is not spelled out; an equality is still judged. */
const MAX_DIGITS_SPELLED = 3;

/** A value's form: each digit stands for any digit (`200` and `5xx` keep their width and letters). */
export function valueForm(value: string): string {
  return value.replace(/[0-9]/g, '0');
}

/** Every string of one form with at most {@link MAX_DIGITS_SPELLED} digits: `0xx` → `0xx` … `9xx`. */
function spellForm(form: string): string[] {
  let out = [''];
  for (const ch of form) {
    out =
      ch === '0' ? out.flatMap((p) => [...'0123456789'].map((d) => p + d)) : out.map((p) => p + ch);
  }
  return out;
}

/** The words of each vocabulary a seen value belongs to, in the seen value's case (all upper or all lower). */
function vocabularyWords(seen: readonly string[]): string[] {
  const words: string[] = [];
  for (const vocabulary of VOCABULARIES) {
    for (const value of seen) {
      const upper = value.toUpperCase();
      if (!vocabulary.includes(upper)) continue;
      if (value === upper) words.push(...vocabulary);
      else if (value === value.toLowerCase()) words.push(...vocabulary.map((w) => w.toLowerCase()));
    }
  }
  return words;
}

/**
 * Whether a positive matcher that none of `seen` satisfies could still match a value of the
 * same kind later: a status code `500` before the first error (`200` is seen, the same form),
 * the class `5xx` when `2xx` is seen, `DELETE` when `GET` is, `SERVER_ERROR` when `SUCCESS` is.
 * A value of another form (`500` against `2xx`, `GET` against `get`, `5[0-9]{2}` against
 * `2xx`) answers false: that matcher can never match what this exporter writes. Values with
 * more digits than three are judged by form for an equality and given the benefit of the doubt
 * for a regex, whose candidates would be too many to try.
 *
 * @example
 * ```ts
 * couldMatchLater({ name: 'status', type: '=~', value: '5..' }, ['200', '404']); // true
 * couldMatchLater({ name: 'status', type: '=', value: '500' }, ['2xx', '4xx']); // false
 * ```
 */
export function couldMatchLater(matcher: LabelMatcher, seen: readonly string[]): boolean {
  const { matches } = compileMatcher(matcher);
  const equality = matcher.type === '=';
  const forms = new Set(seen.filter((v) => v !== '').map(valueForm));
  if (equality && forms.has(valueForm(matcher.value))) return true;
  for (const form of forms) {
    const digits = form.length - form.replaceAll('0', '').length;
    if (digits <= MAX_DIGITS_SPELLED) {
      if (spellForm(form).some(matches)) return true;
    } else if (!equality) {
      return true;
    }
  }
  return vocabularyWords(seen).some(matches);
}
