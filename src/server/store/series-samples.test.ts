import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STALE_NAN } from '../model/model.js';
import { CHUNK_RANGE_MS, MAX_CHUNK_SAMPLES } from './chunk/chunk-layout.js';
import { ChunkMemory } from './chunk/chunk-memory.js';
import { highBits, lowBits } from './chunk/float-bits.js';
import { readRange } from './chunk-walk.js';
import { SeriesCursor } from './sample-cursor.js';
import { SeriesChunks } from './series-chunks.js';
import { SeriesSamples } from './series-samples.js';

const value = fc.oneof(
  fc.double(),
  fc.constantFrom(STALE_NAN, Number.NaN, -0, 0, 1),
  fc.integer({ min: 0, max: 100 }),
);

/** A value's bits as text. The model keeps these: a JS array of numbers may change a NaN's payload. */
function bits(v: number): string {
  return `${highBits(v)}:${lowBits()}`;
}

function cursorRead(mem: ChunkMemory, s: SeriesSamples, mint: number, maxt: number) {
  const c = new SeriesCursor(new SeriesChunks(mem, s, 1), mint, maxt);
  const out: [number, number][] = [];
  while (c.next()) for (let i = 0; i < c.length; i++) out.push([c.t[i], c.v[i]]);
  return out;
}

describe('SeriesSamples against an array model', () => {
  it('stores, windows and truncates like a sorted list', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.integer({ min: -5, max: 400 }), fc.constant(CHUNK_RANGE_MS / 3)),
            value,
          ),
          { maxLength: 700 },
        ),
        fc.array(
          fc.tuple(fc.integer({ min: -10, max: 30_000 }), fc.integer({ min: 0, max: 30_000 })),
          { maxLength: 10 },
        ),
        fc.integer({ min: -10, max: 30_000 }),
        (steps, windows, cutoff) => {
          const mem = new ChunkMemory();
          const s = new SeriesSamples();
          const model: [number, string][] = [];
          let t = 0;
          for (const [dt, v] of steps) {
            t += dt;
            const last = model.length > 0 ? model[model.length - 1][0] : Number.NEGATIVE_INFINITY;
            const want = t > last ? 'ok' : t === last ? 'duplicate' : 'out-of-order';
            expect(s.add(mem, 1, t, v)).toBe(want);
            if (want === 'ok') model.push([t, bits(v)]);
          }
          const check = () => {
            for (const [mint, span] of windows) {
              const maxt = mint + span;
              const want = model.filter(([x]) => x > mint && x <= maxt);
              const run = readRange(new SeriesChunks(mem, s, 1), mint, maxt);
              expect(run.length).toBe(want.length);
              expect(Array.from(run.t)).toEqual(want.map(([x]) => x));
              expect(Array.from(run.v, bits)).toEqual(want.map(([, b]) => b));
              const walked = cursorRead(mem, s, mint, maxt);
              expect(walked.map(([x]) => x)).toEqual(want.map(([x]) => x));
            }
            expect(s.held).toBe(model.length);
          };
          check();
          s.truncateBefore(mem, cutoff);
          // Whole chunks go: what stays is a suffix holding every sample from the cutoff on.
          const all = readRange(
            new SeriesChunks(mem, s, 1),
            Number.NEGATIVE_INFINITY,
            Number.MAX_SAFE_INTEGER,
          );
          const kept = model.slice(model.length - all.length);
          expect(Array.from(all.t)).toEqual(kept.map(([x]) => x));
          expect(model.filter(([x]) => x >= cutoff).length).toBeLessThanOrEqual(kept.length);
          model.length = 0;
          model.push(...kept);
          check();
          expect(s.firstTime()).toBe(model[0]?.[0]);
          s.clear(mem);
          expect(mem.slots.slotsInUse).toBe(0);
          expect(mem.blocks.bytes()).toBeLessThanOrEqual(2 ** 21);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('cuts chunks at 120 samples and at the 2 h boundary', () => {
    const mem = new ChunkMemory();
    const s = new SeriesSamples();
    for (let i = 0; i < 300; i++) s.add(mem, 1, i * 1000, i);
    expect(s.listEnd - s.listStart).toBe(2);
    expect(s.entryCount(s.listStart)).toBe(MAX_CHUNK_SAMPLES);
    const b = new SeriesSamples();
    b.add(mem, 2, CHUNK_RANGE_MS - 2000, 1);
    b.add(mem, 2, CHUNK_RANGE_MS - 1000, 2);
    b.add(mem, 2, CHUNK_RANGE_MS, 3);
    expect(b.listEnd - b.listStart).toBe(1);
    expect(b.entryMaxt(b.listStart)).toBe(CHUNK_RANGE_MS - 1000);
  });

  it('skips chunks a cursor is told to pass without decoding them', () => {
    const mem = new ChunkMemory();
    const s = new SeriesSamples();
    for (let i = 0; i < 1200; i++) s.add(mem, 1, i * 1000, i);
    const c = new SeriesCursor(new SeriesChunks(mem, s, 1), -1, 1e9);
    expect(c.next(1_000_000)).toBe(true);
    expect(c.t[0]).toBe(1_001_000);
    expect(c.length).toBe(1_079_000 / 1000 - 1_000);
  });
});
