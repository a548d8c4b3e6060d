/** A target's held series: counted against its limit, pruned of what the head dropped, never growing without bound. */
import { describe, expect, it } from 'vitest';
import { createHead } from '../store/memory-head.js';
import { TargetSeries } from './target-series.js';

describe('TargetSeries', () => {
  it('counts only series the head still holds against the limit', () => {
    const head = createHead({ retentionMs: 1_000 });
    const owned = new TargetSeries();
    for (let i = 0; i < 10; i++) {
      const ref = head.getOrCreate({ __name__: 'x', i: String(i) });
      head.append(ref, i < 6 ? 0 : 5_000, 1);
      owned.add(ref);
    }
    expect(() => owned.check(head, 1, 10)).toThrow(
      'series limit 10 exceeded: the target holds 10 series and sent 1 new ones',
    );
    // Retention drops the six old series; the limit sees the room at once.
    head.applyRetention(5_500);
    expect(() => owned.check(head, 4, 10)).not.toThrow();
    expect(owned.size).toBe(4);
  });

  it('prunes dropped series as it grows even with no limit, so churn cannot leak refs', () => {
    const head = createHead({ retentionMs: 1_000, maxSeries: 0 });
    const owned = new TargetSeries();
    for (let scrape = 0; scrape < 50; scrape++) {
      const t = scrape * 10_000;
      for (let i = 0; i < 500; i++) {
        const ref = head.getOrCreate({ __name__: 'churn', id: `${scrape}-${i}` });
        head.append(ref, t, 1);
        owned.add(ref);
      }
      head.applyRetention(t);
      owned.check(head, 0, 0);
    }
    // 25 000 series were created; only the last scrape's 500 live, and the set stays near that.
    expect(head.seriesCount).toBe(500);
    expect(owned.size).toBeLessThanOrEqual(2 * 500 + 1024 + 500);
  });
});
