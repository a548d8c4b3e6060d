/** A fresh process that opens a sample folder and says how long the replay took (for bench/storage.ts). */
import { openSampleStorage } from '../../src/server/store/disk/sample-storage.js';

const dir = process.argv[2];
const now = Number(process.argv[3]);
if (!dir || !Number.isFinite(now)) throw new Error('usage: replay-probe.ts DIR NOW_MS');
const cpu = process.cpuUsage();
const storage = openSampleStorage({ dir, now: () => now, log: () => {} });
const used = process.cpuUsage(cpu);
const { replay } = storage;
const stats = storage.head.stats();
console.log(
  JSON.stringify({
    ms: replay.durationMs,
    cpuMs: (used.user + used.system) / 1000,
    series: replay.series,
    samples: replay.samples,
    chunksRead: replay.chunksRead,
    samplesReplayed: replay.samplesReplayed,
    headBytes: stats.bytes,
    rss: process.memoryUsage().rss,
  }),
);
// Gone as a killed process would be: no closing checkpoint, so the next probe replays the same.
process.exit(0);
