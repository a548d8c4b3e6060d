import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../model/label-matcher.js';
import type { LabelMatcher, Labels } from '../model/model.js';
import { createHead } from './memory-head.js';
import { intersect, unionDisjoint } from './postings-ops.js';

const NAMES = ['__name__', 'job', 'env', 'code'];
const VALUES = ['a', 'b', 'ab', 'ba', 'c', '1', '10'];
const REGEXES = ['a', 'a|b', 'a.*', '.*', '.+', '', 'b|', '1.?', '(?i)A', 'x'];

const labelSet: fc.Arbitrary<Labels> = fc
  .record(
    {
      __name__: fc.constantFrom('m1', 'm2', 'm3'),
      job: fc.constantFrom(...VALUES),
      env: fc.constantFrom(...VALUES),
      code: fc.constantFrom(...VALUES),
    },
    { requiredKeys: ['__name__'] },
  )
  .map((l) => l as Labels);

const matcher: fc.Arbitrary<LabelMatcher> = fc.oneof(
  fc.record({
    name: fc.constantFrom(...NAMES, 'absent'),
    type: fc.constantFrom('=' as const, '!=' as const),
    value: fc.constantFrom(...VALUES, '', 'm1', 'm2'),
  }),
  fc.record({
    name: fc.constantFrom(...NAMES, 'absent'),
    type: fc.constantFrom('=~' as const, '!~' as const),
    value: fc.constantFrom(...REGEXES, 'm1|m3', 'm.'),
  }),
);

/** The definition: a series matches when every matcher accepts its value, '' when absent. */
function bruteForce(all: [number, Labels][], matchers: LabelMatcher[]): number[] {
  const compiled = matchers.map(compileMatcher);
  return all
    .filter(([, l]) => compiled.every((m) => m.matches(Object.hasOwn(l, m.name) ? l[m.name] : '')))
    .map(([ref]) => ref)
    .sort((a, b) => a - b);
}

describe('select against a brute-force scan', () => {
  it('agrees on random series and matchers, before and after truncation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(labelSet, fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.array(fc.array(matcher, { maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 4 }),
        (sets, queries, cutoff) => {
          const head = createHead();
          for (const [labels, lastT] of sets) {
            const ref = head.getOrCreate(labels);
            // Several sets may be the same series; keep appends in order.
            const last = head.lastSample(ref)?.t ?? -1;
            if (lastT > last) head.append(ref, lastT, 1);
          }
          const check = () => {
            const all: [number, Labels][] = head.select([]).map((v) => [v.ref, v.labels]);
            for (const q of queries) {
              const got = head
                .select(q)
                .map((v) => v.ref)
                .sort((a, b) => a - b);
              expect(got).toEqual(bruteForce(all, q));
            }
          };
          check();
          head.truncate(cutoff);
          check();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('postings operations', () => {
  const sortedSet = fc
    .uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 200 })
    .map((a) => a.sort((x, y) => x - y));

  it('intersect equals the set intersection, in both algorithms', () => {
    fc.assert(
      fc.property(sortedSet, sortedSet, (a, b) => {
        const want = a.filter((x) => b.includes(x));
        expect(intersect(a, b)).toEqual(want);
        expect(intersect(b, a)).toEqual(want);
      }),
    );
    const long = Array.from({ length: 10_000 }, (_, i) => i * 2);
    expect(intersect([1, 2, 4, 19_998, 30_000], long)).toEqual([2, 4, 19_998]);
  });

  it('unionDisjoint sorts the union of disjoint lists', () => {
    fc.assert(
      fc.property(sortedSet, fc.integer({ min: 1, max: 5 }), (all, k) => {
        const lists: number[][] = Array.from({ length: k }, () => []);
        for (let i = 0; i < all.length; i++) lists[i % k].push(all[i]);
        expect(Array.from(unionDisjoint(lists))).toEqual(all);
      }),
    );
  });
});
