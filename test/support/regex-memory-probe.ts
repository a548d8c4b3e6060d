/** Child process for the regex memory test: RSS and live heap before and after 40 distinct 1 MB regexes. */
import { PromqlEngine } from '../../src/server/promql/index.js';
import { createHead } from '../../src/server/store/memory-head.js';

// Run as `node --expose-gc --import tsx`; prints one JSON line with the figures.
const gc = (globalThis as { gc?: (options?: object) => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
for (let i = 0; i < 300; i++) {
  head.append(head.getOrCreate({ __name__: 'up', instance: `instance-${i}.efile.gov:9100` }), 0, 1);
}
const engine = new PromqlEngine(head, { lookbackDeltaMs: 300_000 });
/**
 * Collects everything, then once more as V8 does when the system is short of memory. Since
 * Node 22, V8 keeps a young generation grown by a burst (up to 128 MB here) and the pages a
 * collection freed, and gives them back only under memory pressure: without the last-resort
 * collection, RSS measures that spare capacity (+236 MB on Node 24), not what is held.
 */
const settle = () => {
  gc();
  gc();
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};
engine.instant('up{instance=~"instance-1.*"}', 0);
const before = settle();
let refused = 0;
for (let q = 0; q < 40; q++) {
  // 1 MB of distinct alternatives; every other one made non-literal by a trailing `.`.
  const alternatives = Array.from({ length: 70_000 }, (_, j) => `q${q}-value-${j}`).join('|');
  const regex = q % 2 === 0 ? alternatives : `${alternatives}.`;
  try {
    engine.instant(`up{instance=~"${regex}"}`, 0);
  } catch (e) {
    if (!String((e as Error).message).startsWith('not supported:')) throw e;
    refused++;
  }
}
const after = settle();
console.log(
  JSON.stringify({
    before: before.rss,
    after: after.rss,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    refused,
    length: 70_000 * 16,
  }),
);
