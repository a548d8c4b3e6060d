/** Tests for limitk and limit_ratio, and the label hash limit_ratio samples by. */
import { describe, expect, it } from 'vitest';
import { createHead } from '../store/memory-head.js';
import { labelsHash, xxhash64 } from './functions/labels-hash.js';
import { PromqlEngine } from './index.js';

function engine(): PromqlEngine {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (let i = 0; i < 100; i++) {
    const job = i % 2 === 0 ? 'even' : 'odd';
    head.append(head.getOrCreate({ __name__: 'up', job, instance: `i${i}` }), 0, i);
  }
  return new PromqlEngine(head, { lookbackDeltaMs: 300_000 });
}

const count = (e: PromqlEngine, q: string): number => {
  const r = e.instant(q, 0);
  return r.resultType === 'vector' ? r.result.length : -1;
};

describe('limitk and limit_ratio', () => {
  it('limitk keeps k series per group, values unchanged', () => {
    const e = engine();
    expect(count(e, 'limitk(3, up)')).toBe(3);
    expect(count(e, 'limitk by (job) (2, up)')).toBe(4);
    expect(count(e, 'limitk(0, up)')).toBe(0);
    expect(() => e.instant('limitk(NaN, up)', 0)).toThrow('Parameter value is NaN');
  });

  it('limit_ratio splits a vector in two stable, complementary samples', () => {
    const e = engine();
    const some = count(e, 'limit_ratio(0.3, up)');
    expect(some).toBeGreaterThan(10);
    expect(some).toBeLessThan(50);
    expect(some + count(e, 'limit_ratio(-0.7, up)')).toBe(100);
    expect(count(e, 'limit_ratio(1, up)')).toBe(100);
    expect(count(e, 'limit_ratio(0.3, up) and limit_ratio(-0.7, up)')).toBe(0);
    expect(() => e.instant('limit_ratio(NaN, up)', 0)).toThrow('Ratio value is NaN');
  });

  it('hashes as XXH64 of name 0xff value 0xff, by name', () => {
    const enc = new TextEncoder();
    expect(xxhash64(enc.encode('')).toString(16)).toBe('ef46db3751d8e999');
    expect(xxhash64(enc.encode('Nobody inspects the spammish repetition')).toString(16)).toBe(
      'fbcea83c8a378bf1',
    );
    const bytes = new Uint8Array([...enc.encode('a'), 0xff, ...enc.encode('1'), 0xff]);
    expect(labelsHash({ a: '1' })).toBe(xxhash64(bytes));
  });
});
