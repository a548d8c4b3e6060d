/** Benchmark: parse + append into the head in ns/sample (cold, warm, durable), append alone, and head memory measured against its estimate. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateExposition } from '#test-support/generate-exposition.js';
import type { Labels } from '../src/server/model/model.js';
import { appendScrape } from '../src/server/scrape/append-scrape.js';
import {
  parseExposition,
  parseExpositionInto,
} from '../src/server/scrape/exposition/parse-exposition.js';
import { SampleColumns } from '../src/server/scrape/exposition/sample-sink.js';
import { ScrapeCache } from '../src/server/scrape/scrape-cache.js';
import { resolveTarget } from '../src/server/scrape/target-config.js';
import { openSampleStorage } from '../src/server/store/disk/sample-storage.js';
import { createHead, type MemoryHead } from '../src/server/store/memory-head.js';
import type { SeriesRef } from '../src/server/store/types.js';
import { generatedWorkload } from './storage/workloads.js';

/** Options for `runIngestBench`; every field is optional. */
export interface IngestBenchOptions {
  /** Series in the generated exposition. Default 10 000. */
  series?: number;
  /** Scrapes per timing round, 15 s apart. Default 60. */
  scrapes?: number;
  /** Timing rounds; medians are reported. Default 5. */
  rounds?: number;
  /** Scrapes for the steady-state memory figure (480 = 2 h at 15 s, the memory window). Default 480. */
  steadyScrapes?: number;
  /** Where lines of the report go. Default `console.log`. */
  log?: (line: string) => void;
}

/** The figures of one run. */
export interface IngestBenchResult {
  readonly samplesPerScrape: number;
  /** First scrape into an empty head: parse, build labels, getOrCreate, append. */
  readonly coldNsPerSample: number;
  /** Later scrapes as the scraper does them: parse skipping known label blocks, cached refs, append, staleness. */
  readonly warmNsPerSample: number;
  /** Parsing alone, every label block read, for scale. */
  readonly parseNsPerSample: number;
  /** Parsing as a warm scrape does it, with known label blocks skipped. */
  readonly parseKnownNsPerSample: number;
  /** Warm, store only: `appendScrape` of already-parsed samples. */
  readonly appendNsPerSample: number;
  /** Warm, compressed chunks only: `head.append` with the refs at hand. */
  readonly chunkAppendNsPerSample: number;
  /** The scraper's path on a durable store: parse, append, and a commit (WAL, chunk files) a scrape. */
  readonly durableNsPerSample: number;
  /** The peer (a Map of plain JS arrays per series) on the same store-only loop. */
  readonly peerAppendNsPerSample: number;
  readonly memory: readonly MemoryRow[];
}

/** Estimated and measured head memory after some scrapes. */
export interface MemoryRow {
  readonly scrapes: number;
  readonly series: number;
  readonly samples: number;
  readonly estimatedBytes: number;
  /** heapUsed + arrayBuffers growth after a full GC; null without --expose-gc. */
  readonly measuredBytes: number | null;
  readonly bytesPerSeries: number;
  readonly bytesPerSample: number;
  readonly peerMeasuredBytes: number | null;
}

const T0 = 1_700_000_000_000;
const INTERVAL = 15_000;

type Parsed = ReturnType<typeof parseExposition>['samples'];

/** The peer: what one would write first, a Map of growable arrays keyed by series text. */
class ArrayStore {
  readonly series = new Map<string, { t: number[]; v: number[] }>();
  append(key: string, t: number, v: number): void {
    let s = this.series.get(key);
    if (s === undefined) this.series.set(key, (s = { t: [], v: [] }));
    if (s.t.length > 0 && s.t[s.t.length - 1] >= t) return;
    s.t.push(t);
    s.v.push(v);
  }
}

const TARGET = resolveTarget({
  url: 'http://127.0.0.1:9100/metrics',
  labels: { service: 'efile', agency: 'IRS', env: 'prod' },
});

/** One scrape's body the way `scrapeTarget` stores it: lines matched to the last scrape's, cached refs. */
function scrape(head: MemoryHead, cache: ScrapeCache, body: string, t: number): void {
  parseExpositionInto(cache.columns, body, 'prometheus', cache.parseOptions);
  appendScrape(head, TARGET, cache, cache.columns, t);
}

/** The simplest cached ingest, for the memory figures: no target labels, no staleness. */
function ingest(head: MemoryHead, cache: Map<string, SeriesRef>, samples: Parsed, t: number): void {
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    let ref = cache.get(s.series);
    if (ref === undefined) {
      const labels: Labels = { ...s.labels, __name__: s.name };
      ref = head.getOrCreate(labels);
      cache.set(s.series, ref);
    }
    head.append(ref, s.timestampMs ?? t, s.value);
  }
}

/** The timing rows of one run, one per figure the report prints. */
function newRows() {
  return {
    cold: new Timings(),
    warm: new Timings(),
    parse: new Timings(),
    parseKnown: new Timings(),
    append: new Timings(),
    chunks: new Timings(),
    durable: new Timings(),
    peer: new Timings(),
  };
}
type Rows = ReturnType<typeof newRows>;

/** What every timed step of a round reads. */
interface RoundInput {
  readonly rows: Rows;
  /** False for the JIT warm-up round, which is not counted. */
  readonly count: boolean;
  readonly bodies: readonly string[];
  readonly parsed: Parsed;
  readonly scrapes: number;
  readonly warmSamples: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** The scraper's path, cold then warm, and the parser alone both ways. */
function timeScrapePath(r: RoundInput): void {
  const { rows, count, bodies, scrapes, warmSamples } = r;
  // Collecting first keeps one round's garbage from being swept on the next one's clock.
  gc?.();
  const head = createHead();
  const cache = new ScrapeCache();
  rows.cold.time(count, r.parsed.length, () => scrape(head, cache, bodies[0], T0));
  rows.warm.time(count, warmSamples, () => {
    for (let k = 1; k < scrapes; k++) {
      scrape(head, cache, bodies[k % bodies.length], T0 + k * INTERVAL);
    }
  });
  rows.parse.time(count, warmSamples, () => {
    for (let k = 1; k < scrapes; k++) parseExposition(bodies[k % bodies.length]);
  });
  rows.parseKnown.time(count, warmSamples, () => {
    for (let k = 1; k < scrapes; k++) {
      parseExpositionInto(
        cache.columns,
        bodies[k % bodies.length],
        'prometheus',
        cache.parseOptions,
      );
    }
  });
}

/** Store only, on one pre-parsed body: `appendScrape`, then the compressed chunks alone. */
function timeStoreOnly(r: RoundInput): void {
  const { rows, count, bodies, parsed, scrapes, warmSamples } = r;
  gc?.();
  const head2 = createHead();
  const cache2 = new ScrapeCache();
  appendScrape(head2, TARGET, cache2, SampleColumns.of(parsed), T0);
  // What a warm parse hands over: each known series as the cache's own string.
  const warmParsed = new SampleColumns();
  parseExpositionInto(warmParsed, bodies[0], 'prometheus', cache2.parseOptions);
  rows.append.time(count, warmSamples, () => {
    for (let k = 1; k < scrapes; k++)
      appendScrape(head2, TARGET, cache2, warmParsed, T0 + k * INTERVAL);
  });
  // Compressed chunks alone: the refs at hand, no scrape bookkeeping.
  gc?.();
  const head3 = createHead();
  const refs = parsed.map((p) => head3.getOrCreate({ ...p.labels, __name__: p.name }));
  // Values that change every scrape (a counter's steps), read from a typed column.
  const base = Float64Array.from(parsed, (p) => p.value);
  const n = parsed.length;
  rows.chunks.time(count, warmSamples, () => {
    for (let k = 1; k < scrapes; k++) {
      const t = T0 + k * INTERVAL;
      for (let i = 0; i < n; i++) head3.append(refs[i], t, base[i] + k * (1 + (i & 7)));
    }
  });
}

/** The server's path on disk (every scrape committed to the WAL), and the peer's store-only loop. */
function timeDurableAndPeer(r: RoundInput): void {
  const { rows, count, bodies, parsed, scrapes, warmSamples } = r;
  gc?.();
  const dir = mkdtempSync(join(tmpdir(), 'kpi-bench-ingest-'));
  const clock = { t: T0 };
  const storage = openSampleStorage({ dir, now: () => clock.t, log: () => {} });
  const cache4 = new ScrapeCache();
  scrape(storage.head, cache4, bodies[0], T0);
  rows.durable.time(count, warmSamples, () => {
    for (let k = 1; k < scrapes; k++) {
      clock.t = T0 + k * INTERVAL;
      scrape(storage.head, cache4, bodies[k % bodies.length], clock.t);
      storage.head.commit();
    }
  });
  storage.close();
  rmSync(dir, { recursive: true, force: true });

  // Ours and the peer alternate within a round so load hits both alike.
  gc?.();
  const arrays = new ArrayStore();
  for (const s of parsed) arrays.append(s.series, T0, s.value);
  const n = parsed.length;
  rows.peer.time(count, warmSamples, () => {
    for (let k = 1; k < scrapes; k++) {
      const t = T0 + k * INTERVAL;
      for (let i = 0; i < n; i++) arrays.append(parsed[i].series, t, parsed[i].value);
    }
  });
}

/** Parses a generated exposition repeatedly into heads and logs the figures. */
export async function runIngestBench(options: IngestBenchOptions = {}): Promise<IngestBenchResult> {
  const {
    series = 10_000,
    scrapes = 60,
    rounds = 5,
    steadyScrapes = 480,
    log = console.log,
  } = options;
  // A few bodies with the same series and different values, as successive scrapes would be.
  const bodies = [1, 2, 3].map((seed) => generateExposition({ series, seed }).text);
  const parsed = parseExposition(bodies[0]).samples;
  const rows = newRows();
  const warmSamples = parsed.length * (scrapes - 1);
  // Round 0 warms the JIT and is not counted.
  for (let round = 0; round < rounds + 1; round++) {
    const input: RoundInput = { rows, count: round > 0, bodies, parsed, scrapes, warmSamples };
    timeScrapePath(input);
    timeStoreOnly(input);
    timeDurableAndPeer(input);
  }
  const result: IngestBenchResult = {
    samplesPerScrape: parsed.length,
    coldNsPerSample: rows.cold.wall(),
    warmNsPerSample: rows.warm.wall(),
    parseNsPerSample: rows.parse.wall(),
    parseKnownNsPerSample: rows.parseKnown.wall(),
    appendNsPerSample: rows.append.wall(),
    chunkAppendNsPerSample: rows.chunks.wall(),
    durableNsPerSample: rows.durable.wall(),
    peerAppendNsPerSample: rows.peer.wall(),
    memory: [await measureMemory(parsed, scrapes), await measureMemory(parsed, steadyScrapes)],
  };
  logIngest(rows, result, rounds, scrapes, log);
  return result;
}

/** Prints the report: one line per timing row, then the memory rows. */
function logIngest(
  rows: Rows,
  result: IngestBenchResult,
  rounds: number,
  scrapes: number,
  log: (line: string) => void,
): void {
  log(
    `ingest benchmark: ${result.samplesPerScrape} samples a scrape, ${scrapes} scrapes a round, median of ${rounds}`,
  );
  log('  ns/sample, wall clock (CPU time of the process in brackets: steadier on a busy machine)');
  log(`  parse + append, cold (first scrape, new series)  ${rows.cold}`);
  log(
    `  parse + append, warm (the scraper's path)        ${rows.warm}   goal ≤ 600 (1 202 before compressed chunks)`,
  );
  log(`  the same with a commit a scrape, on disk (WAL)   ${rows.durable}`);
  log(`  of which parse, known label blocks skipped       ${rows.parseKnown}`);
  log(`  parse alone, every label block read              ${rows.parse}`);
  log(`  append only, warm (appendScrape, cached refs)    ${rows.append}`);
  log(
    `  the same into a Map of JS arrays                 ${rows.peer}   ratio ${(rows.peer.wall() / rows.append.wall()).toFixed(2)}x`,
  );
  log(
    `  into compressed chunks alone (head.append)       ${rows.chunks}   goal ≤ 200; Prometheus's head appender: ~310 (published, 2-core EPYC)`,
  );
  if (result.memory[0].measuredBytes === null) {
    log('  notice: run with node --expose-gc --import tsx to measure real heap');
  }
  log('  memory (estimate = stats().bytes; measured = heapUsed + arrayBuffers growth after GC)');
  for (const m of result.memory) {
    const measured = m.measuredBytes === null ? 'n/a' : mib(m.measuredBytes);
    const ratio =
      m.measuredBytes === null
        ? ''
        : `  measured/estimate ${(m.measuredBytes / m.estimatedBytes).toFixed(2)}`;
    const peerRow =
      m.peerMeasuredBytes === null || m.measuredBytes === null
        ? ''
        : `  JS arrays ${mib(m.peerMeasuredBytes)} (${(m.peerMeasuredBytes / m.measuredBytes).toFixed(2)}x)`;
    log(
      `  ${String(m.scrapes).padStart(3)} scrapes: ${m.series} series, ${m.samples} samples, estimate ${mib(m.estimatedBytes)}, measured ${measured}${ratio}`,
    );
    log(
      `               ${fmt(m.bytesPerSeries)} B/series (goal ≤ 3000), ${m.bytesPerSample.toFixed(2)} B/sample of chunks in memory (Gorilla paper: 1.37)${peerRow}`,
    );
  }
}

/**
 * Fills a head (and, separately, the peer) with `scrapes` scrapes of the generated series, their
 * values evolving as a service's would (see `storage/workloads.ts`), and weighs them.
 */
async function measureMemory(parsed: Parsed, scrapes: number): Promise<MemoryRow> {
  const run = generatedWorkload(parsed.length, scrapes, T0, INTERVAL);
  // The labels of a real scrape are fresh strings, not the parser's; copy so nothing is shared.
  const fresh = parsed.map((s) => ({
    ...s,
    series: JSON.parse(JSON.stringify(s.series)) as string,
    labels: JSON.parse(JSON.stringify(s.labels)) as Labels,
  }));
  // ArrayBuffer memory is given back after the GC, off the main thread: collect, wait, repeat.
  const weigh = async (): Promise<number> => {
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = await weigh();
  let head: MemoryHead | undefined = createHead();
  let cache: Map<string, SeriesRef> | undefined = new Map();
  for (let k = 0; k < scrapes; k++) {
    const values = run.values;
    ingest(
      head,
      cache,
      fresh.map((s, i) => ({ ...s, value: values[i][k] })),
      T0 + k * INTERVAL,
    );
  }
  cache = undefined; // the scraper's cache is not the head's memory
  const measured = gc ? (await weigh()) - before : null;
  const stats = head.stats();
  head = undefined;

  const before2 = await weigh();
  let arrays: ArrayStore | undefined = new ArrayStore();
  for (let k = 0; k < scrapes; k++) {
    for (const s of fresh) arrays.append(s.series, T0 + k * INTERVAL, s.value);
  }
  const peerMeasured = gc ? (await weigh()) - before2 : null;
  if (arrays.series.size < 0) console.log(arrays); // keeps the peer alive until weighed
  arrays = undefined;
  return {
    scrapes,
    series: stats.series,
    samples: stats.samples,
    estimatedBytes: stats.bytes,
    measuredBytes: measured,
    bytesPerSeries: stats.bytesPerSeries,
    bytesPerSample: stats.bytesPerSample,
    peerMeasuredBytes: peerMeasured,
  };
}

/** Wall-clock and CPU ns per sample of some rounds; medians. */
class Timings {
  private readonly wallNs: number[] = [];
  private readonly cpuNs: number[] = [];

  time(count: boolean, samples: number, fn: () => void): void {
    const cpu = process.cpuUsage();
    const start = performance.now();
    fn();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (!count) return;
    this.wallNs.push((wallMs * 1e6) / samples);
    this.cpuNs.push(((used.user + used.system) * 1e3) / samples);
  }

  wall(): number {
    return median(this.wallNs);
  }

  toString(): string {
    return `${fmt(median(this.wallNs))} (${fmt(median(this.cpuNs)).trim()})`;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (x: number): string => x.toFixed(0).padStart(5);
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runIngestBench();
}
