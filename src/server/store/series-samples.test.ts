import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlabPool } from './sample-slab.js';
import { SeriesSamples } from './series-samples.js';

describe('SeriesSamples against an array model', () => {
  it('stores, windows and truncates like a sorted list', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 400 }), fc.double()), { maxLength: 700 }),
        fc.array(
          fc.tuple(fc.integer({ min: -10, max: 30_000 }), fc.integer({ min: 0, max: 30_000 })),
          {
            maxLength: 10,
          },
        ),
        fc.integer({ min: -10, max: 30_000 }),
        (steps, windows, cutoff) => {
          const pool = new SlabPool();
          const s = new SeriesSamples();
          const model: [number, number][] = [];
          let t = 0;
          for (const [dt, v] of steps) {
            t += dt;
            const last = model.length > 0 ? model[model.length - 1][0] : Number.NEGATIVE_INFINITY;
            const want = t > last ? 'ok' : t === last ? 'duplicate' : 'out-of-order';
            expect(s.append(pool, t, v)).toBe(want);
            if (want === 'ok') model.push([t, v]);
          }
          const check = () => {
            for (const [mint, span] of windows) {
              const maxt = mint + span;
              const want = model.filter(([x]) => x > mint && x <= maxt);
              const run = s.range(mint, maxt);
              expect(run.length).toBe(want.length);
              expect(Array.from(run.t)).toEqual(want.map(([x]) => x));
              expect(Array.from(run.v)).toEqual(want.map(([, y]) => y));
            }
            expect(s.count).toBe(model.length);
          };
          check();
          s.truncateBefore(pool, cutoff);
          const kept = model.filter(([x]) => x >= cutoff);
          model.length = 0;
          model.push(...kept);
          check();
          expect(s.firstTime()).toBe(model[0]?.[0]);
          s.clear(pool);
          expect(pool.slabCount()).toBeLessThanOrEqual(5);
        },
      ),
      { numRuns: 200 },
    );
  });
});
