import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { STALE_NAN } from '../../model/model.js';
import { highBits, lowBits } from '../chunk/float-bits.js';
import { openSampleStorage, type SampleStorage } from '../disk/sample-storage.js';
import { createHead, type MemoryHead } from '../memory-head.js';
import type { HeadReader, SeriesRef } from '../types.js';
import { HeadFeed } from './head-feed.js';
import { HeadShare } from './head-share.js';
import { HeadView } from './head-view.js';

const T0 = 1_700_000_000_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

/** A head and a view of it over a real message channel, in this one thread. */
async function shared(head: MemoryHead, chunkDir?: string) {
  const share = HeadShare.create();
  const feed = new HeadFeed(head, share);
  const { port1, port2 } = new MessageChannel();
  const view = new HeadView({ port: port2, share, reader: 0, chunkDir, log: () => {} });
  feed.attach(0, port1);
  cleanups.push(() => {
    view.close();
    port1.close();
  });
  await view.attached;
  return { feed, view, share };
}

/** A durable head whose chunks leave memory after `memoryWindowMs` and disk after 6 h. */
function durable(
  memoryWindowMs: number,
  now: () => number,
): { storage: SampleStorage; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-view-'));
  const storage = openSampleStorage({
    dir,
    now,
    memoryWindowMs,
    retentionMs: 6 * 3_600_000,
    log: () => {},
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => storage.close());
  return { storage, dir };
}

/** Every series and sample a reader sees in `(mint, maxt]`, values as bits. */
function contents(reader: HeadReader, mint: number, maxt: number): string[] {
  const out: string[] = [];
  for (const { ref, labels } of reader.select([{ name: '__name__', type: '=~', value: '.+' }])) {
    const run = reader.samples(ref, mint, maxt);
    const cursor = reader.cursor(ref, mint, maxt);
    const walked: number[] = [];
    while (cursor.next()) for (let i = 0; i < cursor.length; i++) walked.push(cursor.t[i]);
    expect(walked).toEqual(Array.from(run.t));
    const samples = Array.from(run.t, (t, i) => `${t}=${highBits(run.v[i])}:${lowBits()}`);
    out.push(`${JSON.stringify(labels)} ${samples.join(' ')}`);
  }
  return out;
}

function read(view: HeadView, mint: number, maxt: number): string[] {
  view.begin();
  try {
    return contents(view, mint, maxt);
  } finally {
    view.end();
  }
}

describe('a view of a head shared with another thread', () => {
  it('sees what the head holds after each commit, through seals, truncation, eviction and drops', async () => {
    const clock = { t: T0 };
    const { storage, dir } = durable(20 * 60_000, () => clock.t);
    const head = storage.head;
    const { view } = await shared(head, join(dir, 'chunks'));
    expect(view.seriesCount).toBe(0);
    let onDiskOnly = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            series: fc.integer({ min: 0, max: 7 }),
            step: fc.integer({ min: 1, max: 90_000 }),
            value: fc.oneof(fc.double(), fc.constant(STALE_NAN)),
            after: fc.constantFrom('none', 'commit', 'retention', 'drop'),
          }),
          { maxLength: 400 },
        ),
        async (ops) => {
          const refs: SeriesRef[] = [];
          for (const op of ops) {
            clock.t += op.step;
            const labels = { __name__: 'm', i: `${op.series}` };
            head.append(head.getOrCreate(labels), clock.t, op.value);
            if (op.after === 'commit') head.commit();
            if (op.after === 'retention') storage.applyRetention(clock.t);
            if (op.after === 'drop') {
              const ref = head.getRef({ __name__: 'm', i: `${(op.series + 1) % 8}` });
              if (ref !== undefined) refs.push(ref);
              head.dropSeries(refs.splice(0));
            }
          }
          head.commit();
          const stats = head.stats();
          if (stats.samples > stats.memorySamples) onDiskOnly++;
          expect(read(view, Number.NEGATIVE_INFINITY, clock.t)).toEqual(
            contents(head, Number.NEGATIVE_INFINITY, clock.t),
          );
          expect(read(view, clock.t - 3_600_000, clock.t - 600_000)).toEqual(
            contents(head, clock.t - 3_600_000, clock.t - 600_000),
          );
        },
      ),
      { numRuns: 60 },
    );
    // Some runs read chunks that had left memory for the files, and retention deleted some.
    expect(onDiskOnly).toBeGreaterThan(5);
    expect(storage.stats().chunkFiles).toBeGreaterThan(0);
  });
});

describe('a view of a head shared with another thread, at the edges', () => {
  it('sees whole commits: appends after the last commit are not yet there', async () => {
    const head = createHead();
    const { view } = await shared(head);
    const ref = head.getOrCreate({ __name__: 'up' });
    head.append(ref, T0, 1);
    head.commit();
    for (let i = 1; i <= 150; i++) head.append(ref, T0 + i * 1000, 1);
    // 150 samples cut a chunk at 120 since the commit: the view still reads the one sample.
    expect(read(view, 0, T0 + 1e6)).toEqual([`{"__name__":"up"} ${T0}=1072693248:0`]);
    head.commit();
    expect(read(view, 0, T0 + 1e6)[0].split(' ')).toHaveLength(152);
  });

  it('keeps what a pinned reader may read until it lets go', async () => {
    const head = createHead({ retentionMs: 60_000 });
    const { view } = await shared(head);
    const ref = head.getOrCreate({ __name__: 'm' });
    // Values that take ~9 bytes a sample, so the old chunks fill whole 64 KiB pages.
    const value = (i: number) => Math.sin(i) * 1e6;
    const N = 20_000;
    for (let i = 0; i < N; i++) head.append(ref, T0 + i * 1000, value(i));
    head.commit();
    view.begin();
    const run = view.cursor(ref, 0, T0 + N * 1000);
    // The writer drops every chunk the cursor is about to read, then writes as many again:
    // freed at once, their pages and slots would now hold the new chunks.
    const later = T0 + 2 * N * 1000;
    for (let i = 0; i < N; i++) head.append(ref, later + i * 1000, -i);
    head.commit();
    head.truncate(later);
    for (let i = N; i < 3 * N; i++) head.append(ref, later + i * 1000, value(-i));
    head.commit();
    expect(head.memory.retiredCount).toBeGreaterThan(0);
    let seen = 0;
    while (run.next()) {
      for (let i = 0; i < run.length; i++, seen++) {
        expect([run.t[i], run.v[i]]).toEqual([T0 + seen * 1000, value(seen)]);
      }
    }
    expect(seen).toBe(N);
    view.end();
    head.commit();
    expect(head.memory.retiredCount).toBe(0);
  });

  it('learns new arenas as a record first points into them', async () => {
    const head = createHead();
    const { view } = await shared(head);
    // Enough series that their chunks and records fill several 2 MiB arenas after attaching.
    for (let s = 0; s < 3000; s++) {
      const ref = head.getOrCreate({ __name__: 'm', s: `${s}` });
      for (let i = 0; i < 130; i++) head.append(ref, T0 + i * 1000, s);
    }
    head.commit();
    expect(head.memory.table.size).toBeGreaterThan(2);
    expect(read(view, 0, T0 + 1e6)).toEqual(contents(head, 0, T0 + 1e6));
  });
});
