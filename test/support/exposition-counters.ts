/** Reads raw sample values out of an exposition with a few regexes, apart from the scraper, so a test's expected KPI comes from the counters themselves. */

/** One sample line: its metric name, labels and value. */
export interface RawSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample line of a classic-text exposition (comments and metadata skipped). */
export function rawSamples(text: string): RawSample[] {
  const out: RawSample[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL)) labels[k] = v.replace(/\\(.)/g, '$1');
    const value = m[3] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[3]);
    out.push({ name: m[1], labels, value });
  }
  return out;
}

/**
 * The sum of the values of `name`'s samples whose labels pass `where`.
 *
 * @example
 * ```ts
 * sumOf(text, 'http_requests_total', (l) => l.status === '5xx'); // 27
 * ```
 */
export function sumOf(
  text: string,
  name: string,
  where: (labels: Readonly<Record<string, string>>) => boolean = () => true,
): number {
  return rawSamples(text)
    .filter((s) => s.name === name && where(s.labels))
    .reduce((total, s) => total + s.value, 0);
}

/** How much `name` (summed over `where`) grew from one exposition to the next. */
export function increaseOf(
  before: string,
  after: string,
  name: string,
  where?: (labels: Readonly<Record<string, string>>) => boolean,
): number {
  return sumOf(after, name, where) - sumOf(before, name, where);
}
