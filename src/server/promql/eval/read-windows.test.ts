import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from '../../model/model.js';
import { createHead } from '../../store/memory-head.js';
import type { HeadStore, SampleCursor } from '../../store/types.js';
import { readWindows } from './read-windows.js';

describe('readWindows', () => {
  it('gives the samples of the windows, as a filter of the whole span would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 600 }),
        fc.integer({ min: -50_000, max: 2_000_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 400_000 }),
        fc.integer({ min: 1, max: 200_000 }),
        (gaps, start, steps, step, width) => {
          const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
          const ref = head.getOrCreate({ __name__: 'm' });
          let t = 0;
          const times: number[] = [];
          for (const g of gaps) {
            t += g;
            head.append(ref, t, times.length % 5 === 0 ? STALE_NAN : times.length);
            times.push(t);
          }
          const ends = Float64Array.from({ length: steps }, (_, i) => start + i * step);
          const want = times.filter((x) => [...ends].some((e) => x > e - width && x <= e));
          const run = readWindows(head, ref, ends, width);
          expect(Array.from(run.t)).toEqual(want);
          for (let i = 0; i < run.length; i++) {
            expect(isStaleNaN(run.v[i])).toBe(times.indexOf(run.t[i]) % 5 === 0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never decodes a chunk between windows', () => {
    const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
    const ref = head.getOrCreate({ __name__: 'm' });
    // Three days at 15 s: 144 chunks of 120 samples.
    for (let i = 0; i < 17_280; i++) head.append(ref, i * 15_000, i);
    let decoded = 0;
    const counting: HeadStore = Object.create(head);
    counting.cursor = (r, mint, maxt) => {
      const inner = head.cursor(r, mint, maxt);
      const wrapped: SampleCursor = {
        get t() {
          return inner.t;
        },
        get v() {
          return inner.v;
        },
        get length() {
          return inner.length;
        },
        next(after) {
          const ok = inner.next(after);
          if (ok) decoded++;
          return ok;
        },
      };
      return wrapped;
    };
    // rate(m[5m]) each hour: 72 windows of 20 samples, each inside one or two chunks.
    const ends = Float64Array.from({ length: 72 }, (_, i) => (i + 1) * 3_600_000);
    const run = readWindows(counting, ref, ends, 300_000);
    expect(run.length).toBe(72 * 20 - 1);
    expect(decoded).toBeLessThanOrEqual(2 * 72);
  });
});
