/** A target's health judged against its schedule: never `up` once its scrapes stop coming. */
import { describe, expect, it } from 'vitest';
import { onSchedule, type ScrapeHealth, toTargetHealth } from './target-health.js';

const T0 = Date.UTC(2026, 11, 1);

const scraped: ScrapeHealth = {
  id: 't',
  url: 'http://127.0.0.1:9100/metrics',
  job: 'node',
  instance: '127.0.0.1:9100',
  labels: { job: 'node', instance: '127.0.0.1:9100' },
  health: 'up',
  lastScrape: T0,
  lastDurationMs: 12,
  lastSampleCount: 40,
  lastError: null,
  lastLatenessMs: 3,
  missedSlots: 0,
  intervalMs: 1_000,
  timeoutMs: 500,
};

describe('onSchedule', () => {
  it('leaves a target whose next scrape may still be running as it is', () => {
    // Next slot at +1 s, its scrape may take 0.5 s, and the news up to one more interval.
    expect(onSchedule(scraped, T0 + 2_500)).toBe(scraped);
  });

  it('says down, with the slots missed since the last finished scrape, once one is overdue', () => {
    expect(onSchedule(scraped, T0 + 2_501)).toMatchObject({
      health: 'down',
      lastScrape: T0,
      lastError: 'no scrape has finished since 2026-12-01T00:00:00.000Z: 1 slot missed',
      missedSlots: 1,
    });
    const later = onSchedule({ ...scraped, missedSlots: 4 }, T0 + 12_600);
    expect(later.lastError).toMatch(/: 11 slots missed$/);
    expect(later.missedSlots).toBe(15);
    expect(toTargetHealth(later)).toMatchObject({
      health: 'down',
      lastScrape: '2026-12-01T00:00:00.000Z',
      lastLatenessMs: 3,
      missedSlots: 15,
    });
  });

  it('judges a failing target the same, and leaves one never scraped unknown', () => {
    const down = { ...scraped, health: 'down' as const, lastError: 'connection refused' };
    expect(onSchedule(down, T0 + 2_000)).toBe(down);
    expect(onSchedule(down, T0 + 5_000).lastError).toMatch(/^no scrape has finished since/);
    const never = { ...scraped, health: 'unknown' as const, lastScrape: null };
    expect(onSchedule(never, T0 + 60_000)).toBe(never);
  });
});
