import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from '../../model/model.js';
import type { MemoryHead } from '../memory-head.js';
import { CHUNK_FILE_HEADER_BYTES, CHUNK_RECORD_HEADER_BYTES } from './chunk-record.js';
import {
  openSampleStorage,
  type SampleStorage,
  type SampleStorageOptions,
} from './sample-storage.js';
import { StorageError } from './storage-error.js';

const T0 = 1_700_000_000_000;
const STEP = 15_000;

const dirs: string[] = [];
const open: SampleStorage[] = [];
afterEach(() => {
  for (const s of open.splice(0)) {
    try {
      s.close();
    } catch {
      // a test may have broken it on purpose
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kpi-samples-'));
  dirs.push(d);
  return d;
}

interface Clock {
  t: number;
}

function start(dir: string, clock: Clock, extra: Partial<SampleStorageOptions> = {}) {
  const lines: string[] = [];
  const storage = openSampleStorage({
    dir,
    now: () => clock.t,
    log: (line) => lines.push(line),
    ...extra,
  });
  open.push(storage);
  return { storage, head: storage.head, lines };
}

/** Leaves a store as `kill -9` would: nothing more written, nothing closed. */
function crash(storage: SampleStorage): void {
  open.splice(open.indexOf(storage), 1);
}

function all(head: MemoryHead, labels: Record<string, string>) {
  const [view] = head.select(
    Object.entries(labels).map(([name, value]) => ({ name, type: '=' as const, value })),
  );
  if (view === undefined) return { t: [] as number[], v: [] as number[] };
  const run = head.samples(view.ref, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER);
  return { t: Array.from(run.t), v: Array.from(run.v) };
}

/** Scrapes `n` rounds of three series into the head, committing after each, as the scraper does. */
function scrape(head: MemoryHead, clock: Clock, n: number, commit = true) {
  const refs = ['a', 'b', 'c'].map((s) => head.getOrCreate({ __name__: 'm', s }));
  for (let k = 0; k < n; k++) {
    clock.t += STEP;
    refs.forEach((ref, i) => {
      head.append(ref, clock.t, (clock.t - T0) / STEP + i / 10);
    });
    if (commit) head.commit();
  }
}

describe('sample storage', () => {
  it('comes back after a clean close: chunk files, the memory window and the open chunks', () => {
    const dir = tempDir();
    const clock = { t: T0 };
    const first = start(dir, clock);
    scrape(first.head, clock, 5 * 240); // five hours: chunks sealed, the oldest out of memory
    first.storage.applyRetention();
    const before = all(first.head, { s: 'b' });
    expect(before.t.length).toBe(1200);
    expect(first.head.stats().memorySamples).toBeLessThan(3 * 1200);
    first.storage.close();

    const second = start(dir, clock);
    expect(all(second.head, { s: 'b' })).toEqual(before);
    expect(second.storage.replay.series).toBe(3);
    expect(second.storage.replay.damagedChunks).toBe(0);
    // Appends go on after the replayed ones.
    scrape(second.head, clock, 10);
    expect(all(second.head, { s: 'b' }).t.length).toBe(1210);
  });

  it('loses nothing committed when the process dies, and keeps refs and staleness markers', () => {
    const dir = tempDir();
    const clock = { t: T0 };
    const first = start(dir, clock);
    scrape(first.head, clock, 700);
    const gone = first.head.getOrCreate({ __name__: 'gone' });
    first.head.append(gone, clock.t, 1);
    first.head.append(gone, clock.t + 1, STALE_NAN);
    first.head.commit();
    const before = all(first.head, { s: 'a' });
    // Appended but never committed: the crash may lose these.
    scrape(first.head, clock, 3, false);
    crash(first.storage);

    const second = start(dir, clock);
    const after = all(second.head, { s: 'a' });
    expect(after.t.slice(0, before.t.length)).toEqual(before.t);
    expect(after.t.length).toBeLessThanOrEqual(before.t.length + 3);
    const stale = second.head.samples(second.head.getRef({ __name__: 'gone' })!, 0, Infinity);
    expect(isStaleNaN(stale.v[1])).toBe(true);
    expect(second.head.getRef({ __name__: 'gone' })).toBe(gone);
    const fresh = second.head.getOrCreate({ __name__: 'new' });
    expect(fresh).toBeGreaterThan(gone);
  });

  it('cuts a torn WAL tail off with a log line and keeps what came before', () => {
    const dir = tempDir();
    const clock = { t: T0 };
    const first = start(dir, clock);
    scrape(first.head, clock, 50);
    crash(first.storage);
    const wal = join(dir, 'wal');
    const last = readdirSync(wal).sort().at(-1)!;
    const size = statSync(join(wal, last)).size;
    truncateSync(join(wal, last), size - 5);

    const second = start(dir, clock);
    expect(second.lines.join('\n')).toMatch(
      /write-ahead log segment \d+: a record is cut short at offset \d+; the last \d+ bytes are cut off/,
    );
    const kept = all(second.head, { s: 'c' }).t.length;
    expect(kept).toBeGreaterThanOrEqual(49);
    expect(kept).toBeLessThanOrEqual(50);
  });

  it('drops a damaged chunk, names its series, and serves the rest', () => {
    const dir = tempDir();
    const clock = { t: T0 };
    const first = start(dir, clock);
    scrape(first.head, clock, 500); // four sealed chunks a series
    first.storage.close();
    const chunks = join(dir, 'chunks');
    const file = join(chunks, readdirSync(chunks).sort()[0]);
    const bytes = readFileSync(file);
    // Flip a byte of the first chunk's bits.
    bytes[CHUNK_FILE_HEADER_BYTES + CHUNK_RECORD_HEADER_BYTES + 3] ^= 0xff;
    writeFileSync(file, bytes);

    const second = start(dir, clock);
    expect(second.storage.replay.damagedChunks).toBe(1);
    expect(second.lines.join('\n')).toMatch(/a chunk of m\{s="a"\} from .* fails its checksum/);
    expect(all(second.head, { s: 'a' }).t.length).toBe(500 - 120);
    expect(all(second.head, { s: 'b' }).t.length).toBe(500);
    expect(second.head.stats().damagedSeries).toBe(1);
  });

  it('skips an unreadable stretch of a chunk file to the next intact chunk', () => {
    const dir = tempDir();
    const clock = { t: T0 };
    const first = start(dir, clock);
    scrape(first.head, clock, 500);
    first.storage.close();
    const chunks = join(dir, 'chunks');
    const file = join(chunks, readdirSync(chunks).sort()[0]);
    const bytes = readFileSync(file);
    // Break the first record's header: its length can no longer be trusted.
    bytes[CHUNK_FILE_HEADER_BYTES + 5] ^= 0xff;
    writeFileSync(file, bytes);

    const second = start(dir, clock);
    expect(second.lines.join('\n')).toMatch(/unreadable bytes at offset 16 skipped/);
    expect(all(second.head, { s: 'a' }).t.length).toBe(500 - 120);
    expect(all(second.head, { s: 'c' }).t.length).toBe(500);
  });

  // /dev/full, which refuses every write with ENOSPC, is Linux's.
  it.skipIf(process.platform !== 'linux')(
    "fails a commit with the disk's reason and keeps every sample readable",
    () => {
      const dir = tempDir();
      const clock = { t: T0 };
      mkdirSync(join(dir, 'wal'), { recursive: true });
      const first = start(dir, clock, { walSegmentBytes: 4096 });
      // Every segment after the first goes to a device that is always full.
      for (let seq = 2; seq < 40; seq++) {
        symlinkSync('/dev/full', join(dir, 'wal', String(seq).padStart(8, '0')));
      }
      let failure: unknown;
      const refs = ['a', 'b', 'c'].map((s) => first.head.getOrCreate({ __name__: 'm', s }));
      for (let k = 0; k < 200 && failure === undefined; k++) {
        clock.t += STEP;
        for (const ref of refs) first.head.append(ref, clock.t, k);
        try {
          first.head.commit();
        } catch (err) {
          failure = err;
        }
      }
      expect(failure).toBeInstanceOf(StorageError);
      expect((failure as Error).message).toMatch(/no space left on device/);
      expect(first.storage.stats().lastWriteError).toMatch(/no space left/);
      const n = all(first.head, { s: 'a' }).t.length;
      clock.t += STEP;
      first.head.append(refs[0], clock.t, 1);
      expect(() => first.head.commit()).toThrow(StorageError);
      expect(all(first.head, { s: 'a' }).t.length).toBe(n + 1);
    },
  );

  it('deletes chunk files past the retention, and the oldest ones past max_bytes', () => {
    const dir = tempDir();
    const clock = { t: T0 };
    const { storage, head } = start(dir, clock, {
      retentionMs: 6 * 3_600_000,
      chunkFileBytes: 4096,
    });
    scrape(head, clock, 12 * 240); // twelve hours
    storage.applyRetention();
    const oldest = head.stats().oldestMs!;
    expect(oldest).toBeGreaterThanOrEqual(clock.t - 6 * 3_600_000 - 2 * 3_600_000);
    const run = all(head, { s: 'a' });
    expect(run.t[0]).toBeGreaterThanOrEqual(clock.t - 6 * 3_600_000);
    const before = storage.stats();
    expect(before.chunkFiles).toBeGreaterThan(2);
    storage.close();

    const maxBytes = Math.floor(before.diskBytes / 2);
    const small = start(dir, clock, { maxBytes, chunkFileBytes: 4096 });
    const after = small.storage.stats();
    expect(after.chunkFiles).toBeLessThan(before.chunkFiles);
    expect(after.diskBytes).toBeLessThanOrEqual(maxBytes);
    expect(all(small.head, { s: 'a' }).t[0]).toBeGreaterThan(run.t[0]);
  });

  it('refuses a folder another live process holds', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    // PID 1 is always alive.
    writeFileSync(join(dir, 'lock'), '1\n');
    expect(() => openSampleStorage({ dir, log: () => {} })).toThrow(/in use by process 1/);
  });

  it('replays to exactly the committed samples, wherever the process stops', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            series: fc.integer({ min: 0, max: 4 }),
            gap: fc.oneof(fc.constant(STEP), fc.integer({ min: 1, max: 3_600_000 })),
            commit: fc.boolean(),
          }),
          { minLength: 1, maxLength: 400 },
        ),
        fc.boolean(),
        (ops, clean) => {
          const dir = tempDir();
          const clock = { t: T0 };
          const first = start(dir, clock, { walSegmentBytes: 2048, chunkFileBytes: 2048 });
          const committed: [number, number][][] = [[], [], [], [], []];
          const pending: [number, number][][] = [[], [], [], [], []];
          for (const op of ops) {
            clock.t += op.gap;
            const ref = first.head.getOrCreate({ __name__: 'm', i: String(op.series) });
            first.head.append(ref, clock.t, op.gap);
            pending[op.series].push([clock.t, op.gap]);
            if (op.commit) {
              first.head.commit();
              pending.forEach((p, i) => {
                committed[i].push(...p.splice(0));
              });
            }
            if (clock.t % 7 === 0) first.storage.applyRetention();
          }
          if (clean) first.storage.close();
          else crash(first.storage);
          const second = start(dir, clock, { walSegmentBytes: 2048, chunkFileBytes: 2048 });
          for (let i = 0; i < 5; i++) {
            const got = all(second.head, { i: String(i) });
            const want = clean ? [...committed[i], ...pending[i]] : committed[i];
            expect(got.t.slice(0, want.length)).toEqual(want.map(([t]) => t));
            expect(got.v.slice(0, want.length)).toEqual(want.map(([, v]) => v));
            // Uncommitted samples may have been written by a later commit's flush: only those.
            const extra = clean ? [] : pending[i];
            expect(got.t.length).toBeLessThanOrEqual(want.length + extra.length);
          }
          second.storage.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
