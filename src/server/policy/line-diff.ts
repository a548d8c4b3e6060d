/** A unified diff of two texts, line by line (longest common subsequence), for policy versions. */

type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** Splits text into lines; a final newline ends the last line rather than starting one. */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script from `a` to `b`: a table of common-suffix lengths, walked from the start. */
function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  // Policies are hundreds of lines, so the quadratic table stays small; trim the common
  // head and tail first, which is most of the text for a typical threshold change.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const width = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * width);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        x[i] === y[j]
          ? lcs[(i + 1) * width + j + 1] + 1
          : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const edits: Edit[] = a.slice(0, head).map((line) => ({ op: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      edits.push({ op: ' ', line: x[i++] });
      j++;
    } else if (
      i < x.length &&
      (j === y.length || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
    ) {
      // Removals before additions inside a change, as `diff -u` prints them.
      edits.push({ op: '-', line: x[i++] });
    } else {
      edits.push({ op: '+', line: y[j++] });
    }
  }
  for (const line of a.slice(a.length - tail)) edits.push({ op: ' ', line });
  return edits;
}

function range(start: number, count: number): string {
  if (count === 1) return String(start);
  return `${count === 0 ? start - 1 : start},${count}`;
}

/**
 * A unified diff from `before` to `after` with `context` unchanged lines around each change;
 * `''` when the texts are the same. Headers name the two sides as given.
 *
 * @example
 * ```ts
 * unifiedDiff('a\nb\n', 'a\nc\n', { from: 'v1', to: 'v2' });
 * // '--- v1\n+++ v2\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n'
 * ```
 */
export function unifiedDiff(
  before: string,
  after: string,
  names: { readonly from: string; readonly to: string },
  context = 3,
): string {
  if (before === after) return '';
  const edits = editScript(linesOf(before), linesOf(after));
  const out = [`--- ${names.from}`, `+++ ${names.to}`];
  let k = 0;
  // Line numbers (1-based) in each text at edit k.
  const aLine: number[] = [];
  const bLine: number[] = [];
  let an = 1;
  let bn = 1;
  for (const e of edits) {
    aLine.push(an);
    bLine.push(bn);
    if (e.op !== '+') an++;
    if (e.op !== '-') bn++;
  }
  while (k < edits.length) {
    while (k < edits.length && edits[k].op === ' ') k++;
    if (k === edits.length) break;
    const start = Math.max(0, k - context);
    // Extend the hunk while the next change is within two contexts of the last.
    let end = k;
    let last = k;
    while (end < edits.length) {
      if (edits[end].op !== ' ') last = end;
      else if (end - last > 2 * context) break;
      end++;
    }
    const stop = Math.min(edits.length, last + context + 1);
    const hunk = edits.slice(start, stop);
    const aCount = hunk.filter((e) => e.op !== '+').length;
    const bCount = hunk.filter((e) => e.op !== '-').length;
    out.push(`@@ -${range(aLine[start], aCount)} +${range(bLine[start], bCount)} @@`);
    for (const e of hunk) out.push(`${e.op}${e.line}`);
    k = stop;
  }
  return `${out.join('\n')}\n`;
}
