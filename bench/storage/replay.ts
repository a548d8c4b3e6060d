/** Replay time: a folder as a server leaves it when killed, opened by a fresh process. */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSampleStorage } from '../../src/server/store/disk/sample-storage.js';

/** One replay measurement. */
export interface ReplayFigures {
  readonly series: number;
  readonly spanMs: number;
  readonly samples: number;
  /** Replay in a fresh process (files in the page cache), ms: wall clock, and CPU time. */
  readonly ms: number;
  readonly cpuMs: number;
  /** Chunks read from chunk files, and samples from the checkpoint and WAL. */
  readonly chunksRead: number;
  readonly samplesReplayed: number;
  readonly rss: number;
  readonly headBytes: number;
}

const HOUR = 3_600_000;

/** A counter per series, stepping by a small number that changes with the series and the scrape. */
function valueAt(i: number, k: number): number {
  return k * (1 + (i % 5)) + ((k * 31 + i * 17) % 7);
}

/**
 * Builds `span` of `series` at 15 s as a server would leave it after `kill -9`: everything but
 * the last hour written in bulk (chunk files and a checkpoint), the last hour scraped with a
 * commit each (WAL segments, checkpoints at each full one), then abandoned without closing.
 * Then a fresh process opens it, twice: the first replays that state; the second, the state
 * the first left (just after a start's checkpoint).
 */
export function replayBench(
  dir: string,
  series: number,
  spanMs: number,
): { afterKill: ReplayFigures; afterStart: ReplayFigures } {
  const end = replayBenchBuild(dir, series, spanMs);
  const probe = (): ReplayFigures => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./replay-probe.ts', import.meta.url)),
        dir,
        String(end),
      ],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`replay probe failed: ${run.stderr}`);
    const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Omit<ReplayFigures, 'spanMs'>;
    return { ...r, series, spanMs };
  };
  return { afterKill: probe(), afterStart: probe() };
}

/** Builds the folder of {@link replayBench}; answers the time it ends at. */
export function replayBenchBuild(dir: string, series: number, spanMs: number): number {
  const interval = 15_000;
  const end = Date.UTC(2026, 11, 1);
  const start = end - spanMs;
  const live = Math.min(HOUR, spanMs);
  const clock = { t: start };
  const bulk = openSampleStorage({ dir, wal: false, now: () => clock.t, log: () => {} });
  const labels = Array.from({ length: series }, (_, i) => ({
    __name__: 'http_requests_total',
    service: `svc-${i % 50}`,
    instance: `10.0.${i % 250}.${Math.floor(i / 250)}:9100`,
    route: `/api/v1/things/${i % 37}`,
  }));
  let refs = labels.map((l) => bulk.head.getOrCreate(l));
  let k = 0;
  for (; start + k * interval < end - live; k++) {
    clock.t = start + k * interval;
    for (let i = 0; i < series; i++) bulk.head.append(refs[i], clock.t, valueAt(i, k));
    if (k % 240 === 239) {
      bulk.head.commit();
      bulk.applyRetention(clock.t);
    }
  }
  bulk.close();
  const server = openSampleStorage({ dir, now: () => clock.t, log: () => {} });
  refs = labels.map((l) => server.head.getOrCreate(l));
  for (; start + k * interval < end; k++) {
    clock.t = start + k * interval;
    for (let i = 0; i < series; i++) server.head.append(refs[i], clock.t, valueAt(i, k));
    server.head.commit();
    if (k % 240 === 239) server.applyRetention(clock.t);
  }
  // Killed: nothing closed. Its process would be gone, and its lock with it.
  rmSync(join(dir, 'lock'));
  return end;
}
