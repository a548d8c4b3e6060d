/** Backfill: loads an OpenMetrics file of historical samples into a data folder's sample store. */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../model/model.js';
import { ExpositionError } from '../scrape/exposition/exposition-error.js';
import { parseExposition } from '../scrape/exposition/parse-exposition.js';
import { storedLabels } from '../scrape/series-labels.js';
import { openSampleStorage } from '../store/disk/sample-storage.js';
import type { SeriesRef } from '../store/types.js';

/** Options of {@link importOpenMetrics}; only `dataDir` is required. */
export interface ImportOptions {
  /** The server's data folder; samples go to its `samples/`. */
  readonly dataDir: string;
  /** Samples older than this before now are skipped, as the server would drop them. Default 15 d. */
  readonly retentionMs?: number;
  /** Bytes read and parsed at a time. Default 16 MiB. */
  readonly pieceBytes?: number;
  readonly now?: () => number;
  /** Where the store's replay lines go. */
  readonly log?: (line: string) => void;
}

/** What an import did. */
export interface ImportReport {
  readonly series: number;
  readonly samples: number;
  /** Samples not after what the store already held for their series. */
  readonly notAfterHeld: number;
  /** Samples older than the retention. */
  readonly tooOld: number;
  readonly firstMs: number | null;
  readonly lastMs: number | null;
}

/** A file that cannot be imported, with `file:line:column` where that is known. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}

const NEWLINE = 10;

/**
 * Loads every sample of an OpenMetrics file (ending with `# EOF`, every sample with a
 * timestamp) into `dataDir/samples`, as `promtool tsdb create-blocks-from openmetrics` does for
 * Prometheus. The file is read a piece at a time; each series' samples in a piece are sorted by
 * time and appended, and full chunks go straight to chunk files. A sample not after what the
 * store holds for its series is skipped and counted: import into a fresh folder, or before the
 * server scrapes the same series. Refuses a folder a running server holds.
 *
 * @example
 * ```ts
 * const report = importOpenMetrics('history.om', { dataDir: 'data' });
 * console.log(`${report.samples} samples of ${report.series} series`);
 * ```
 */
export function importOpenMetrics(file: string, options: ImportOptions): ImportReport {
  const now = options.now ?? Date.now;
  const storage = openSampleStorage({
    dir: join(options.dataDir, 'samples'),
    wal: false,
    now,
    ...(options.retentionMs !== undefined && { retentionMs: options.retentionMs }),
    ...(options.log !== undefined && { log: options.log }),
  });
  const head = storage.head;
  const oldest = now() - (options.retentionMs ?? storage.retentionMs);
  const refs = new Map<string, SeriesRef>();
  let samples = 0;
  let notAfterHeld = 0;
  let tooOld = 0;
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  try {
    forEachPiece(file, options.pieceBytes ?? 16 * 1024 * 1024, (text, lineOffset, last) => {
      let parsed: ReturnType<typeof parseExposition>;
      try {
        parsed = parseExposition(last ? text : `${text}# EOF\n`, 'openmetrics');
      } catch (err) {
        if (!(err instanceof ExpositionError)) throw err;
        throw new ImportError(`${file}:${lineOffset + err.line}:${err.column}: ${err.reason}`, {
          cause: err,
        });
      }
      // Each series' samples of this piece, in time order.
      const bySeries = new Map<string, { labels: Labels; t: number[]; v: number[] }>();
      for (const s of parsed.samples) {
        if (s.timestampMs === undefined) {
          throw new ImportError(
            `${file}: ${s.series} has a sample without a timestamp; every sample to import needs one`,
          );
        }
        let g = bySeries.get(s.series);
        if (g === undefined) {
          g = { labels: s.labels, t: [], v: [] };
          bySeries.set(s.series, g);
        }
        g.t.push(s.timestampMs);
        g.v.push(s.value);
      }
      for (const [series, g] of bySeries) {
        let ref = refs.get(series);
        if (ref === undefined || !head.holds(ref)) {
          ref = head.getOrCreate(storedLabels(nameOf(series), g.labels, {}));
          refs.set(series, ref);
        }
        const order = g.t.map((_, i) => i).sort((a, b) => g.t[a] - g.t[b]);
        for (const i of order) {
          const t = g.t[i];
          if (t < oldest) {
            tooOld++;
            continue;
          }
          if (head.append(ref, t, g.v[i]) !== 'ok') {
            notAfterHeld++;
            continue;
          }
          samples++;
          if (t < firstMs) firstMs = t;
          if (t > lastMs) lastMs = t;
        }
      }
      // Write the full chunks, and let the old ones leave memory.
      storage.commit();
      storage.applyRetention(now());
    });
    return {
      series: refs.size,
      samples,
      notAfterHeld,
      tooOld,
      firstMs: samples > 0 ? firstMs : null,
      lastMs: samples > 0 ? lastMs : null,
    };
  } finally {
    storage.close();
  }
}

/** The metric name of a series text (`name{…}` or `name`). */
function nameOf(series: string): string {
  const brace = series.indexOf('{');
  return brace < 0 ? series : series.slice(0, brace);
}

/**
 * Reads `file` in pieces of whole lines, about `size` bytes each, and hands each on with the
 * number of lines before it and whether it is the last.
 */
function forEachPiece(
  file: string,
  size: number,
  each: (text: string, lineOffset: number, last: boolean) => void,
): void {
  const fd = openSync(file, 'r');
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let buffer = Buffer.alloc(size);
    let held = 0;
    let eof = false;
    let lines = 0;
    const fill = () => {
      while (!eof && held < buffer.length) {
        const n = readSync(fd, buffer, held, buffer.length - held, null);
        if (n === 0) eof = true;
        else held += n;
      }
    };
    const decode = (bytes: Uint8Array): string => {
      try {
        return decoder.decode(bytes);
      } catch (err) {
        throw new ImportError(`${file}: not UTF-8 text after line ${lines}`, { cause: err });
      }
    };
    fill();
    if (held === 0)
      throw new ImportError(`${file} is empty: an OpenMetrics file ends with "# EOF"`);
    for (;;) {
      if (eof) {
        // The rest of the file is all held: the last piece.
        each(decode(buffer.subarray(0, held)), lines, true);
        return;
      }
      const cut = buffer.lastIndexOf(NEWLINE, held - 1);
      if (cut < 0) {
        // A line longer than a piece: grow until it fits.
        const bigger = Buffer.alloc(buffer.length * 2);
        buffer.copy(bigger, 0, 0, held);
        buffer = bigger;
        fill();
        continue;
      }
      const piece = buffer.subarray(0, cut + 1);
      const text = decode(piece);
      const before = lines;
      for (let i = 0; i < piece.length; i++) if (piece[i] === NEWLINE) lines++;
      buffer.copy(buffer, 0, cut + 1, held);
      held -= cut + 1;
      fill();
      const last = eof && held === 0;
      each(text, before, last);
      if (last) return;
    }
  } finally {
    closeSync(fd);
  }
}
