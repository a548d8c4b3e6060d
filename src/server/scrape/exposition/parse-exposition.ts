/** Parses a `/metrics` body (Prometheus text 0.0.4 or OpenMetrics 1.0) into samples and family metadata. */

import type {
  Exposition,
  ExpositionFormat,
  MetricFamily,
  ParseOptions,
} from './exposition-types.js';
import { FamilyRegistry, readHashLine } from './read-metadata.js';
import { readSample } from './read-sample.js';
import { type SampleColumns, SampleList, type SampleSink } from './sample-sink.js';
import { Scanner } from './scanner.js';

const NEWLINE = 10;
const HASH = 35;

/**
 * Parses exposition text in one pass. Malformed input throws one `ExpositionError` naming the
 * line, the column and the reason; nothing else is ever thrown. Time is linear in the input.
 *
 * Deliberately lenient where Prometheus is, and a little beyond it for OpenMetrics: blanks may
 * be several spaces or tabs, and blank lines and plain `#` comments are skipped in both formats.
 * `\r\n` line endings are rejected, as Prometheus rejects them. `families` lists the families
 * that `# HELP`, `# TYPE` or `# UNIT` lines declared, in the order first declared; samples are
 * not matched to families here.
 *
 * A scraper passes its cache's series texts as `options.knownSeries`: the label blocks of those
 * lines are then skipped rather than read, which is most of the parsing time of a warm scrape.
 *
 * Strings in the result are slices of `text`, which the engine may keep alive as long as any of
 * them is: a consumer that keeps strings for long (a series index) should keep its own copies of
 * new ones, or reuse strings it already holds, keyed by `series`.
 *
 * @example
 * ```ts
 * const { samples } = parseExposition('# TYPE up gauge\nup{job="api"} 1\n');
 * samples[0]; // { name: 'up', labels: { job: 'api' }, value: 1, series: 'up{job="api"}', ... }
 * ```
 */
export function parseExposition(
  text: string,
  format: ExpositionFormat = 'prometheus',
  options?: ParseOptions,
): Exposition {
  const list = new SampleList();
  const families = readExposition(list, text, format, options);
  return { format, samples: list.samples, families };
}

/**
 * Parses like `parseExposition`, into `columns` rather than sample objects: a scraper reads each
 * body of a target into one `SampleColumns`, so a warm scrape allocates nothing per sample.
 * Returns the families. After an error, `columns` holds part of the body: read nothing from it.
 *
 * @example
 * ```ts
 * const columns = new SampleColumns();
 * parseExpositionInto(columns, 'up{job="api"} 1\n');
 * columns.values[0]; // 1
 * ```
 */
export function parseExpositionInto(
  columns: SampleColumns,
  text: string,
  format: ExpositionFormat = 'prometheus',
  options?: ParseOptions,
): MetricFamily[] {
  columns.begin();
  const families = readExposition(columns, text, format, options);
  columns.end();
  return families;
}

function readExposition(
  sink: SampleSink,
  text: string,
  format: ExpositionFormat,
  options: ParseOptions | undefined,
): MetricFamily[] {
  const s = new Scanner(text, format, sink);
  s.knownSeries = options?.knownSeries;
  s.previousSeries = options?.previousSeries;
  const registry = new FamilyRegistry(format);
  let sawEof = false;
  while (s.pos < s.end) {
    s.skipBlanks();
    const c = text.charCodeAt(s.pos);
    if (c === HASH) {
      if (readHashLine(s, registry)) {
        sawEof = true;
        checkNothingAfterEof(s);
        break;
      }
    } else if (c !== NEWLINE && s.pos < s.end) {
      readSample(s);
    }
    s.nextLine();
  }
  if (s.openMetrics && !sawEof) {
    s.fail(s.pos, 'an OpenMetrics exposition must end with a "# EOF" line');
  }
  return registry.families();
}

/** `s.pos` is at the end of the `# EOF` line: one final newline may follow, nothing else. */
function checkNothingAfterEof(s: Scanner): void {
  if (s.pos + 1 >= s.end) return;
  s.nextLine();
  s.fail(s.pos, 'nothing may follow the "# EOF" line');
}

/**
 * Picks the format from a Content-Type header value (`application/openmetrics-text` →
 * `openmetrics`, anything else or nothing → `prometheus`).
 *
 * @example
 * ```ts
 * formatFromContentType('application/openmetrics-text; version=1.0.0; charset=utf-8'); // 'openmetrics'
 * formatFromContentType('text/plain; version=0.0.4'); // 'prometheus'
 * ```
 */
export function formatFromContentType(contentType: string | null | undefined): ExpositionFormat {
  if (!contentType) return 'prometheus';
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim();
  return mediaType.toLowerCase() === 'application/openmetrics-text' ? 'openmetrics' : 'prometheus';
}
