/** Benchmark: bytes on disk per sample, ours beside Prometheus's blocks for the same samples, and replay time. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DiskFigures, storeOurs, storePrometheus } from './storage/disk-bytes.js';
import { type ReplayFigures, replayBench } from './storage/replay.js';
import { demoWorkload, generatedWorkload, type Recorded } from './storage/workloads.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Sizes of one run; `BENCH_QUICK=1` shrinks them for a smoke run. */
export interface StorageBenchOptions {
  /** Series of the generated workload, and hours of it at 15 s. Default 10 000 and 4. */
  readonly generatedSeries?: number;
  readonly hours?: number;
  /** Of those, how many also go to promtool (its input is text, a line a sample). Default 1 000. */
  readonly sideBySideSeries?: number;
  /** Replay: series and span of the two shapes. Defaults 21 500 × 2 h and 1 000 × 15 d. */
  readonly replays?: readonly { readonly series: number; readonly spanMs: number }[];
  readonly log?: (line: string) => void;
}

function subset(run: Recorded, n: number): Recorded {
  return {
    name: run.name,
    labels: run.labels.slice(0, n),
    t: run.t,
    values: run.values.slice(0, n),
  };
}

const per = (bytes: number, samples: number) => (samples > 0 ? bytes / samples : 0);
const fmt = (x: number) => x.toFixed(2);
const count = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1e3)}k`);

/** Runs the storage benchmark and logs its table. */
export async function runStorageBench(options: StorageBenchOptions = {}): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  const {
    generatedSeries = quick ? 2_000 : 10_000,
    hours = quick ? 1 : 4,
    sideBySideSeries = quick ? 300 : 1_000,
    replays = quick
      ? [
          { series: 2_000, spanMs: HOUR },
          { series: 100, spanMs: DAY },
        ]
      : [
          { series: 21_500, spanMs: 2 * HOUR },
          { series: 1_000, spanMs: 15 * DAY },
        ],
    log = console.log,
  } = options;
  const scrapes = (hours * HOUR) / 15_000;
  const start = Date.UTC(2026, 10, 1);
  const root = mkdtempSync(join(tmpdir(), 'kpi-bench-storage-'));
  try {
    log(
      `storage benchmark${quick ? ' (quick)' : ''}: samples 15 s apart, committed a scrape at a time`,
    );
    log(
      '  bytes on disk a sample        samples   ours: chunk files | all files   Prometheus 2.42 (promtool): chunks | all   ours/theirs (chunks)',
    );
    const row = (label: string, ours: DiskFigures, theirs: DiskFigures | null) => {
      const o = `${fmt(per(ours.chunkBytes, ours.chunkSamples))} | ${fmt(per(ours.totalBytes, ours.samples))}`;
      const t =
        theirs === null
          ? '—'
          : `${fmt(per(theirs.chunkBytes, theirs.chunkSamples))} | ${fmt(per(theirs.totalBytes, theirs.samples))}`;
      const ratio =
        theirs === null
          ? ''
          : `${(per(ours.chunkBytes, ours.chunkSamples) / per(theirs.chunkBytes, theirs.chunkSamples)).toFixed(2)}x`;
      log(
        `  ${label.padEnd(29)} ${count(ours.samples).padStart(7)}   ${o.padEnd(29)} ${t.padEnd(41)} ${ratio}`,
      );
    };

    const generated = generatedWorkload(generatedSeries, scrapes, start);
    const all = storeOurs(generated, join(root, 'generated'));
    row(`generated, ${generatedSeries} series, ${hours} h`, all, null);
    const some = subset(generated, sideBySideSeries);
    row(
      `generated, ${sideBySideSeries} of them`,
      storeOurs(some, join(root, 'generated-some')),
      storePrometheus(some, join(root, 'generated-prom')),
    );
    const demo = await demoWorkload(scrapes, start);
    row(
      `demo-like, ${demo.labels.length} series, ${hours} h`,
      storeOurs(demo, join(root, 'demo')),
      storePrometheus(demo, join(root, 'demo-prom')),
    );
    log(
      `  ingest into the store (append, WAL, chunk files): ${((all.ms * 1e6) / all.samples).toFixed(0)} ns/sample`,
    );
    log('  goal ≤ 1.5 (chunk files). Published anchors: the Gorilla paper 1.37 B/sample;');
    log('  Prometheus\'s storage docs "1–2 bytes per sample"; VictoriaMetrics 0.4–1 B/sample.');

    log('');
    log(
      '  replay on start, fresh process, files in the page cache   samples   after kill -9 and after a start: wall (CPU)   RSS after',
    );
    for (const r of replays) {
      const dir = join(root, `replay-${r.series}-${r.spanMs}`);
      const { afterKill, afterStart } = replayBench(dir, r.series, r.spanMs);
      const span = r.spanMs >= DAY ? `${r.spanMs / DAY} d` : `${r.spanMs / HOUR} h`;
      log(
        `  ${`${span} of ${r.series} series`.padEnd(57)} ${count(afterKill.samples).padStart(7)}   ${seconds(afterKill).padStart(13)}   ${seconds(afterStart).padStart(13)}   ${mib(afterStart.rss)}`,
      );
      rmSync(dir, { recursive: true, force: true });
    }
    log(
      '  goal ≤ 5 s each. After kill -9: chunk files, the last checkpoint and up to a WAL segment (16 MiB).',
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function seconds(r: ReplayFigures): string {
  return `${(r.ms / 1000).toFixed(2)} s (${(r.cpuMs / 1000).toFixed(2)})`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runStorageBench();
}
