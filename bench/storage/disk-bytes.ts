/** Bytes on disk per sample: ours for a recorded run, and Prometheus's blocks for the same samples (promtool). */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { backfill } from '#test-support/prometheus-server.js';
import type { Labels } from '../../src/server/model/model.js';
import { openSampleStorage } from '../../src/server/store/disk/sample-storage.js';
import type { Recorded } from './workloads.js';

/** Bytes of every file under `dir` whose path passes `match`. */
export function bytesUnder(dir: string, match: (path: string) => boolean = () => true): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path, match);
    else if (match(path)) total += statSync(path).size;
  }
  return total;
}

/** What one store took for a run. */
export interface DiskFigures {
  readonly samples: number;
  /** Bytes of sealed chunks on disk and the samples in them. */
  readonly chunkBytes: number;
  readonly chunkSamples: number;
  /** Every file of the store: chunks, index or labels, checkpoint, WAL. */
  readonly totalBytes: number;
  /** Wall time to store the run, ms. */
  readonly ms: number;
}

/**
 * Stores the run as the server would: one commit per scrape (WAL on), retention's upkeep every
 * hour of data, closed at the end (a checkpoint holds the open chunks).
 */
export function storeOurs(run: Recorded, dir: string): DiskFigures {
  const clock = { t: run.t[0] };
  const storage = openSampleStorage({ dir, now: () => clock.t, log: () => {} });
  const head = storage.head;
  const refs = run.labels.map((l) => head.getOrCreate(l));
  const started = performance.now();
  let samples = 0;
  for (let k = 0; k < run.t.length; k++) {
    clock.t = run.t[k];
    for (let i = 0; i < refs.length; i++) {
      const v = run.values[i][k];
      if (Number.isNaN(v)) continue;
      head.append(refs[i], clock.t, v);
      samples++;
    }
    head.commit();
    if (k % 240 === 239) storage.applyRetention(clock.t);
  }
  let chunkSamples = 0;
  for (const [, , s] of head.allSeries()) chunkSamples += s.sealedCount;
  storage.close();
  const ms = performance.now() - started;
  return {
    samples,
    chunkBytes: bytesUnder(join(dir, 'chunks')),
    chunkSamples,
    totalBytes: bytesUnder(dir, (p) => !p.endsWith('lock')),
    ms,
  };
}

function seriesText(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length > 0 ? `${name}{${pairs.join(',')}}` : name;
}

/**
 * Backfills the same samples into Prometheus blocks with `promtool tsdb create-blocks-from
 * openmetrics` (the server's own chunk format and index), and weighs them. Null when promtool
 * is not installed.
 */
export function storePrometheus(run: Recorded, dir: string): DiskFigures | null {
  if (spawnSync('promtool', ['--version']).error !== undefined) return null;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'run.om');
  const fd = openSync(file, 'w');
  let samples = 0;
  try {
    // A series' samples together, series of a metric together, as OpenMetrics wants.
    const order = run.labels
      .map((_, i) => i)
      .sort((a, b) => {
        const x = seriesText(run.labels[a]);
        const y = seriesText(run.labels[b]);
        return x < y ? -1 : x > y ? 1 : 0;
      });
    for (const i of order) {
      const text = seriesText(run.labels[i]);
      const lines: string[] = [];
      for (let k = 0; k < run.t.length; k++) {
        const v = run.values[i][k];
        if (Number.isNaN(v)) continue;
        lines.push(`${text} ${v} ${run.t[k] / 1000}`);
        samples++;
      }
      writeSync(fd, `${lines.join('\n')}\n`);
    }
    writeSync(fd, '# EOF\n');
  } finally {
    closeSync(fd);
  }
  const blocks = join(dir, 'blocks');
  const started = performance.now();
  backfill(file, blocks);
  const ms = performance.now() - started;
  const chunkBytes = bytesUnder(blocks, (p) => p.includes('/chunks/'));
  return { samples, chunkBytes, chunkSamples: samples, totalBytes: bytesUnder(blocks), ms };
}
