/** The staleness rule: a down target, or judged past `staleAfter`. */
import { describe, expect, it } from 'vitest';
import { downTargetWarning } from './down-targets.js';
import { judgeStaleness, type UnjudgedReading } from './reading-staleness.js';

const T = Date.UTC(2026, 10, 24, 12);
const reading: UnjudgedReading = {
  id: 'k',
  title: 'K',
  unit: 'ratio',
  direction: 'higher-is-worse',
  thresholds: { warning: 1, critical: 2 },
  value: 0.5,
  status: 'ok',
  evaluatedAt: new Date(T).toISOString(),
  policyVersion: 1,
};

describe('judgeStaleness', () => {
  it('sets staleAfter two intervals after evaluation, and is fresh until then', () => {
    const judged = judgeStaleness(reading, T, 15_000);
    expect(judged).toMatchObject({ stale: false, staleAfter: new Date(T + 30_000).toISOString() });
    expect(judgeStaleness(judged, T + 30_000).stale).toBe(false);
    expect(judgeStaleness(judged, T + 30_001).stale).toBe(true);
  });

  it('is stale when a target behind the KPI is down', () => {
    const down = {
      url: 'http://a/metrics',
      job: 'efile',
      labels: {},
      health: 'down' as const,
      lastError: 'refused',
    };
    expect(
      judgeStaleness({ ...reading, warnings: [downTargetWarning(down)] }, T, 15_000).stale,
    ).toBe(true);
    expect(
      judgeStaleness(
        { ...reading, value: null, status: 'unknown', reason: 'stale target' },
        T,
        15_000,
      ).stale,
    ).toBe(true);
    expect(
      judgeStaleness({ ...reading, warnings: ['bucket le="2" missing'] }, T, 15_000).stale,
    ).toBe(false);
  });

  it('counts a reading without a readable staleAfter as stale', () => {
    expect(judgeStaleness(reading, T).stale).toBe(false);
    expect(judgeStaleness({ ...reading, evaluatedAt: 'soon' }, T, 15_000).stale).toBe(true);
  });
});
