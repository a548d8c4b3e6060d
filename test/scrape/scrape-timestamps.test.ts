/** Scrape timestamps: a scrape that starts on time is stamped with its slot, so samples sit a fixed interval apart. */
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
});
