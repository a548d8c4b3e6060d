/** Full chunks, copied once into pages filled front to back; a page is reused once all its chunks are gone. */
import { ARENA_BYTES, type ArenaTable } from './arena-table.js';

/** Bytes of one page: many chunks (a sealed chunk takes ~200 bytes, 2 KiB at most). */
export const PAGE_BYTES = 64 * 1024;
const PAGES_PER_ARENA = ARENA_BYTES / PAGE_BYTES;

/**
 * Bump allocation for chunks that no longer change. Chunks sealed together leave memory together
 * (they age out of the memory window or the retention at about the same time), so a page is
 * reused whole once its last chunk goes, with no free lists of holes; an arena whose pages are
 * all free goes back to the table.
 *
 * @example
 * ```ts
 * const blocks = new SealedBlocks(table);
 * const loc = blocks.alloc(180);
 * blocks.release(loc);
 * ```
 */
export class SealedBlocks {
  /** The page being filled (its global number: location / PAGE_BYTES), or -1. */
  private page = -1;
  private fill = 0;
  /** Live blocks per page, by global page number. */
  private readonly live: number[] = [];
  /** Free pages of arenas still held. */
  private readonly spare: number[] = [];
  /** Free pages per arena index. */
  private readonly freeInArena: number[] = [];
  private pagesInUse = 0;

  constructor(private readonly table: ArenaTable) {}

  /** `bytes` (at most a page) of memory, 8-byte aligned; answers its location. */
  alloc(bytes: number): number {
    const size = (bytes + 7) & ~7;
    if (size > PAGE_BYTES) throw new RangeError(`a sealed chunk of ${bytes} bytes is too large`);
    if (this.page < 0 || this.fill + size > PAGE_BYTES) this.nextPage();
    const loc = this.page * PAGE_BYTES + this.fill;
    this.fill += size;
    this.live[this.page]++;
    return loc;
  }

  /** Gives back the block at `loc`; its page is reused once none of its blocks is left. */
  release(loc: number): void {
    const page = Math.floor(loc / PAGE_BYTES);
    if (--this.live[page] === 0 && page !== this.page) this.freePage(page);
  }

  /** Bytes of the pages in use (what the process has touched and not given back). */
  bytes(): number {
    return this.pagesInUse * PAGE_BYTES;
  }

  private nextPage(): void {
    const old = this.page;
    if (old >= 0 && this.live[old] === 0) this.freePage(old);
    let page = this.spare.pop();
    if (page === undefined) {
      const index = this.table.add();
      this.freeInArena[index] = PAGES_PER_ARENA - 1;
      page = index * PAGES_PER_ARENA;
      for (let p = PAGES_PER_ARENA - 1; p > 0; p--) this.spare.push(page + p);
    } else {
      this.freeInArena[Math.floor(page / PAGES_PER_ARENA)]--;
    }
    this.page = page;
    this.fill = 0;
    this.live[page] = 0;
    this.pagesInUse++;
  }

  private freePage(page: number): void {
    this.pagesInUse--;
    if (page === this.page) this.page = -1;
    const index = Math.floor(page / PAGES_PER_ARENA);
    if (++this.freeInArena[index] < PAGES_PER_ARENA) {
      this.spare.push(page);
      return;
    }
    // The whole arena is free: forget its pages and hand it back.
    const first = index * PAGES_PER_ARENA;
    let w = 0;
    for (let r = 0; r < this.spare.length; r++) {
      const p = this.spare[r];
      if (p < first || p >= first + PAGES_PER_ARENA) this.spare[w++] = p;
    }
    this.spare.length = w;
    this.table.drop(index);
  }
}
