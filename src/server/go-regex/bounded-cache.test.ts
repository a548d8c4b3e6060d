/** Tests for the count- and byte-bounded LRU cache. */
import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('evicts the least recently used entry past the count limit', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2, maxBytes: 100 });
    cache.set('a', 1, 1);
    cache.set('b', 2, 1);
    cache.get('a');
    cache.set('c', 3, 1);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('evicts until the total bytes fit, and never keeps an entry larger than the limit', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 100, maxBytes: 100 });
    cache.set('a', 1, 40);
    cache.set('b', 2, 40);
    cache.set('c', 3, 40);
    expect(cache.size).toEqual({ entries: 2, bytes: 80 });
    expect(cache.get('a')).toBeUndefined();
    cache.set('huge', 4, 101);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toEqual({ entries: 2, bytes: 80 });
  });

  it('replaces a key without counting it twice', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 10, maxBytes: 100 });
    cache.set('a', 1, 60);
    cache.set('a', 2, 60);
    expect(cache.size).toEqual({ entries: 1, bytes: 60 });
    expect(cache.get('a')).toBe(2);
  });
});
