import { describe, expect, it } from 'vitest';
import { MAX_BLOCK_CAPACITY, SlabPool } from './sample-slab.js';

describe('SlabPool', () => {
  it('hands out distinct blocks and takes them back', () => {
    const pool = new SlabPool();
    const taken = new Set<string>();
    const blocks: [ReturnType<SlabPool['slabFor']>, number][] = [];
    for (let i = 0; i < 1000; i++) {
      const slab = pool.slabFor(16);
      const block = slab.take();
      const id = `${pool.slabCount()}:${block}:${slab.valueOffset(block)}`;
      expect(taken.has(id)).toBe(false);
      taken.add(id);
      blocks.push([slab, block]);
    }
    const slabs = pool.slabCount();
    expect(slabs).toBeGreaterThan(1);
    for (const [slab, block] of blocks) pool.release(slab, block);
    // Emptied slabs are let go, all but one.
    expect(pool.slabCount()).toBe(1);
  });

  it('keeps blocks from overlapping inside a slab', () => {
    const pool = new SlabPool();
    const slab = pool.slabFor(MAX_BLOCK_CAPACITY);
    const a = slab.take();
    const b = slab.take();
    const cap = slab.capacity;
    for (let i = 0; i < cap; i++) {
      slab.f64[slab.valueOffset(a) + i] = 1;
      slab.u32[slab.timeOffset(a) + i] = 1;
    }
    for (let i = 0; i < cap; i++) {
      expect(slab.f64[slab.valueOffset(b) + i]).toBe(0);
      expect(slab.u32[slab.timeOffset(b) + i]).toBe(0);
    }
  });

  it('does not grow its free list when one block churns in a full slab', () => {
    const pool = new SlabPool();
    const first = pool.slabFor(240);
    const held: number[] = [];
    while (first.hasRoom) held.push(first.take());
    for (let i = 0; i < 10_000; i++) {
      pool.release(first, held[0]);
      const slab = pool.slabFor(240);
      expect(slab).toBe(first);
      held[0] = slab.take();
    }
    expect(pool.slabCount()).toBe(1);
  });
});
