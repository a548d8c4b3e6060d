/** Text that goes into a mail safely: no control or bidi characters, no value that reads as a header line, a bounded subject. */

/**
 * C0 and C1 controls and DEL (CR and LF among them), and the characters that reorder text
 * (bidi embeddings, overrides, isolates and marks): a label value can carry any of them, and
 * in a subject or a line they forge headers or make `gnp.exe` read `exe.png`.
 */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Longest subject sent, in characters; RFC 5322 allows 998 per line, and readers see ~80. */
export const MAX_SUBJECT_CHARS = 250;

/**
 * One line of plain text: every control and bidi character becomes a space, runs of spaces
 * become one.
 *
 * @example
 * ```ts
 * plainLine('IRS\r\nBcc: x@evil.example'); // 'IRS Bcc: x@evil.example'
 * ```
 */
export function plainLine(text: string): string {
  return text.replace(UNSAFE, ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * Text that may span lines (a description): lines kept, each made a {@link plainLine}, and every
 * line after the first indented, so no value can start a line that reads as a field of its own.
 *
 * @example
 * ```ts
 * plainBlock('first\nBcc: x'); // 'first\n  Bcc: x'
 * ```
 */
export function plainBlock(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(plainLine)
    .join('\n  ');
}

/**
 * A subject: one plain line of at most {@link MAX_SUBJECT_CHARS} characters, cut with `…`. The
 * mail library folds it into lines of 76 characters as it encodes it.
 *
 * @example
 * ```ts
 * mailSubject(`[FIRING:1] ${'x'.repeat(4000)}`).length; // 250
 * ```
 */
export function mailSubject(text: string): string {
  const line = plainLine(text);
  const chars = [...line];
  return chars.length <= MAX_SUBJECT_CHARS
    ? line
    : `${chars.slice(0, MAX_SUBJECT_CHARS - 1).join('')}…`;
}
