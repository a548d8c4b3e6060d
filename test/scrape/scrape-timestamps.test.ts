/** Scrape timestamps and lateness: a scrape that starts on time is stamped with its slot; a late one says how late, and a missed slot counts. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualTimers } from '#test-support/manual-timers.js';
import { ScrapeLoop, TIMESTAMP_TOLERANCE_MS } from '../../src/server/scrape/scrape-loop.js';
import { resolveTarget } from '../../src/server/scrape/target-config.js';
import { createHead } from '../../src/server/store/memory-head.js';
import { serve, stored } from './scrape-servers.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('scrape timestamps', () => {
  it('are the slot when the scrape starts on time, and the clock when it starts late', async () => {
    const timers = manualTimers(1_700_000_000_000);
    const server = await serve((_req, res) => res.end('tick 1\n'));
    cleanups.push(() => server.close());
    const store = createHead();
    const loop = new ScrapeLoop(resolveTarget({ url: server.url, intervalMs: 1_000 }), {
      store,
      timers,
    });
    cleanups.push(() => loop.stop());
    loop.start();
    const onTime = loop.nextScrapeAt!;
    // The timer fires a little late, within the tolerance: the sample gets the slot's time.
    timers.stall(onTime - timers.now() + TIMESTAMP_TOLERANCE_MS);
    await timers.runNext();
    await loop.scrapeNow();
    const late = loop.nextScrapeAt!;
    // Past the tolerance, the sample says when the scrape really started.
    timers.stall(late - timers.now() + TIMESTAMP_TOLERANCE_MS + 40);
    await timers.runNext();
    await loop.scrapeNow();
    expect(stored(store, 'tick')[0].t).toEqual([onTime, late + TIMESTAMP_TOLERANCE_MS + 40]);
  });

  it('reports how late each scheduled scrape started, and the slots that passed with none', async () => {
    const timers = manualTimers(1_700_000_000_000);
    const server = await serve((_req, res) => res.end('tick 1\n'));
    cleanups.push(() => server.close());
    const reports: (number | undefined)[] = [];
    const loop = new ScrapeLoop(resolveTarget({ url: server.url, intervalMs: 1_000 }), {
      store: createHead(),
      timers,
      onScrape: (r) => reports.push(r.latenessMs),
    });
    cleanups.push(() => loop.stop());
    loop.start();
    // A busy thread: the slot's timer fires 2.3 intervals late, so two later slots passed.
    timers.stall(loop.nextScrapeAt! - timers.now() + 2_300);
    await timers.runNext();
    await loop.scrapeNow();
    expect(reports).toEqual([2_300]);
    expect(loop.health()).toMatchObject({ health: 'up', lastLatenessMs: 2_300, missedSlots: 2 });
    // A scrape asked for by hand has no slot to be late for.
    await loop.scrapeNow();
    expect(reports).toEqual([2_300, undefined]);
    // Then the scraper stalls: past the next slot, its timeout and a moment, the target is down.
    timers.stall(3_500);
    expect(loop.health()).toMatchObject({
      health: 'down',
      lastError: expect.stringMatching(/^no scrape has finished since .*: 1 slot missed$/),
    });
  });
});
