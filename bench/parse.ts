/** Benchmark: ns per sample of our exposition parser against parse-prometheus-text-format, same inputs, same run. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateExposition } from '#test-support/generate-exposition.js';
import { parseExposition } from '../src/server/scrape/exposition/parse-exposition.js';

// The peer does less than we do: it keeps values as strings and folds histogram and summary
// series into one object per family, dropping their labels; so the ratio flatters the peer.
const require = createRequire(import.meta.url);
// The peer ships no types; this is the whole of its API we use.
const parsePeer = require('parse-prometheus-text-format') as (text: string) => unknown[];

const ALLTYPES = fileURLToPath(
  new URL(
    '../../shared/conformance/prometheus/exposition/alltypes.237mfs.prom.txt',
    import.meta.url,
  ),
);

/** One input's figures. */
export interface ParseBenchResult {
  readonly input: string;
  readonly samples: number;
  readonly oursNsPerSample: number;
  readonly peerNsPerSample: number;
  /** How many times faster ours is than the peer (peer / ours). */
  readonly ratio: number;
}

/** Options for `runParseBench`; every field is optional. */
export interface ParseBenchOptions {
  /** Measured rounds per parser and input; the median is reported. Default 9. */
  rounds?: number;
  /** Milliseconds each round lasts at least. Default 200. */
  roundMs?: number;
  /** Where lines of the report go. Default `console.log`. */
  log?: (line: string) => void;
}

/**
 * Runs the parse benchmark on the alltypes exposition (skipped with a notice when absent) and on
 * a generated 10 000-series exposition, and logs medians and ratios.
 *
 * @example
 * ```ts
 * const rows = await runParseBench({ rounds: 5 });
 * ```
 */
export async function runParseBench(options: ParseBenchOptions = {}): Promise<ParseBenchResult[]> {
  const { rounds = 9, roundMs = 200, log = console.log } = options;
  const inputs: Array<{ name: string; text: string }> = [];
  if (existsSync(ALLTYPES)) {
    inputs.push({ name: 'alltypes.237mfs', text: readFileSync(ALLTYPES, 'utf8') });
  } else {
    log(
      'notice: ../shared/conformance/prometheus/exposition/alltypes.237mfs.prom.txt is absent; skipping that input',
    );
  }
  inputs.push({ name: 'generated 10k series', text: generateExposition({ series: 10_000 }).text });

  const results: ParseBenchResult[] = [];
  log('parse benchmark (ns/sample, median of rounds; lower is better)');
  for (const { name, text } of inputs) {
    const samples = parseExposition(text).samples.length;
    const ours: number[] = [];
    const peer: number[] = [];
    warmUp(text);
    // Alternate the two parsers so a busy machine slows both alike.
    for (let round = 0; round < rounds; round++) {
      ours.push(measure(() => parseExposition(text), roundMs) / samples);
      peer.push(measure(() => parsePeer(text), roundMs) / samples);
    }
    const row: ParseBenchResult = {
      input: name,
      samples,
      oursNsPerSample: median(ours),
      peerNsPerSample: median(peer),
      ratio: median(peer) / median(ours),
    };
    results.push(row);
    log(
      `  ${row.input.padEnd(22)} ${String(row.samples).padStart(6)} samples   ours ${row.oursNsPerSample.toFixed(0).padStart(5)} ns   parse-prometheus-text-format ${row.peerNsPerSample.toFixed(0).padStart(6)} ns   ratio ${row.ratio.toFixed(1)}x`,
    );
  }
  return results;
}

function warmUp(text: string): void {
  const until = performance.now() + 500;
  while (performance.now() < until) {
    parseExposition(text);
    parsePeer(text);
  }
}

/** Nanoseconds per call, over as many calls as fit in `minMs`. */
function measure(fn: () => unknown, minMs: number): number {
  let calls = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    sink += fn() === undefined ? 0 : 1;
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  if (sink < 0) console.log(sink); // keeps the calls observable
  return (elapsed * 1e6) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runParseBench();
}
