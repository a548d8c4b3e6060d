/** `isStale` and `isActionable`: the client's word on when not to act. */
import { describe, expect, it } from 'vitest';
import { isActionable, isStale } from '../../src/sdk/index.js';

const T = Date.UTC(2026, 10, 24, 12);
const fresh = {
  stale: false,
  staleAfter: new Date(T + 30_000).toISOString(),
  status: 'ok' as const,
};

describe('isStale and isActionable', () => {
  it('trusts a fresh reading until its staleAfter, then not', () => {
    expect(isStale(fresh, T)).toBe(false);
    expect(isActionable(fresh, new Date(T + 30_000))).toBe(true);
    expect(isStale(fresh, T + 30_001)).toBe(true);
    expect(isActionable(fresh, T + 30_001)).toBe(false);
  });

  it('refuses what the server called stale, unknown readings, and unreadable times', () => {
    expect(isActionable({ ...fresh, stale: true }, T)).toBe(false);
    expect(isActionable({ ...fresh, status: 'unknown' }, T)).toBe(false);
    expect(isStale({ ...fresh, staleAfter: 'later' }, T)).toBe(true);
    expect(isActionable({ ...fresh, status: 'critical' }, T)).toBe(true);
  });

  it('judges against the clock when no time is given', () => {
    expect(isStale({ stale: false, staleAfter: new Date(Date.now() + 60_000).toISOString() })).toBe(
      false,
    );
    expect(isStale({ stale: false, staleAfter: new Date(Date.now() - 1).toISOString() })).toBe(
      true,
    );
  });
});
