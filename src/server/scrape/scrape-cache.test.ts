import { describe, expect, it } from 'vitest';
import { type CacheEntry, ScrapeCache } from './scrape-cache.js';

function see(cache: ScrapeCache, keys: string[]): CacheEntry[] {
  const gen = cache.begin();
  const current: CacheEntry[] = [];
  for (const k of keys) {
    let e = cache.entries.get(k);
    if (!e)
      cache.entries.set(
        k,
        (e = { series: k, name: k, ref: cache.entries.size + 1, seen: 0, tracked: true }),
      );
    e.seen = gen;
    current.push(e);
  }
  return cache.commit(current, keys.length);
}

describe('ScrapeCache', () => {
  it('returns the series the last scrape wrote and this one did not', () => {
    const cache = new ScrapeCache();
    expect(see(cache, ['a', 'b'])).toEqual([]);
    expect(see(cache, ['a']).map((e) => e.ref)).toEqual([2]);
    expect(see(cache, ['a'])).toEqual([]);
  });

  it('hands everything over on a failed scrape, once', () => {
    const cache = new ScrapeCache();
    see(cache, ['a', 'b']);
    expect(cache.fail()).toHaveLength(2);
    expect(cache.fail()).toHaveLength(0);
  });

  it('forgets series unseen for ten scrapes', () => {
    const cache = new ScrapeCache();
    see(cache, ['old', 'a']);
    for (let i = 0; i < 10; i++) see(cache, ['a']);
    expect(cache.entries.has('old')).toBe(true);
    see(cache, ['a']);
    expect([...cache.entries.keys()]).toEqual(['a']);
  });
});
