import { describe, expect, it } from 'vitest';
import type { ProblemError } from '../problem.js';
import { parseHistoryParams, parseHistoryStep, parseHistoryTime } from './history-params.js';

function detailOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return (err as ProblemError).problem.detail;
  }
  return undefined;
}

describe('history parameters', () => {
  it('reads RFC 3339, epoch seconds and epoch milliseconds', () => {
    expect(parseHistoryTime('from', '2026-11-24T12:00:00Z')).toBe(Date.UTC(2026, 10, 24, 12));
    expect(parseHistoryTime('from', '2026-11-24T13:00:00.5+01:00')).toBe(
      Date.UTC(2026, 10, 24, 12) + 500,
    );
    expect(parseHistoryTime('from', '1764000000')).toBe(1_764_000_000_000);
    expect(parseHistoryTime('from', '1764000000.25')).toBe(1_764_000_000_250);
    expect(parseHistoryTime('from', '1764000000000')).toBe(1_764_000_000_000);
  });

  it('names the parameter and the accepted forms when a time is bad', () => {
    expect(detailOf(() => parseHistoryTime('from', 'yesterday'))).toBe(
      'invalid parameter "from": cannot read "yesterday" as a time; use RFC 3339 like 2026-11-24T12:00:00Z, epoch seconds like 1764000000, or epoch milliseconds like 1764000000000',
    );
    // No offset: which zone was meant is unknowable, so it is refused.
    expect(detailOf(() => parseHistoryTime('to', '2026-11-24T12:00:00'))).toMatch(
      /^invalid parameter "to"/,
    );
  });

  it('reads a step as a duration or whole milliseconds', () => {
    expect(parseHistoryStep('5m')).toBe(300_000);
    expect(parseHistoryStep('1h30m')).toBe(5_400_000);
    expect(parseHistoryStep('60000')).toBe(60_000);
    expect(detailOf(() => parseHistoryStep('0'))).toBe(
      'invalid parameter "step": must be longer than 0',
    );
    expect(detailOf(() => parseHistoryStep('1.5'))).toBe(
      'invalid parameter "step": cannot read "1.5" as a step; use a duration like 30s, 5m or 1h, or whole milliseconds like 60000',
    );
  });

  it('fills in defaults and refuses reversed ranges and too many buckets', () => {
    const q = (params: Record<string, string>) => (name: string) => params[name];
    const now = 1_764_000_000_000;
    expect(parseHistoryParams(q({}), { now, minStepMs: 15_000 })).toEqual({
      from: now - 3_600_000,
      to: now,
      step: 15_000,
      group: '',
    });
    expect(
      detailOf(() => parseHistoryParams(q({ from: '20', to: '10' }), { now, minStepMs: 1 })),
    ).toBe(
      'invalid parameter "to": must not be before "from" (1970-01-01T00:00:20.000Z), got 1970-01-01T00:00:10.000Z',
    );
    expect(
      detailOf(() =>
        parseHistoryParams(q({ from: '0', to: '86400', step: '1s' }), { now, minStepMs: 1 }),
      ),
    ).toBe(
      'invalid parameter "step": 86401 buckets asked for, at most 11000; use a step of at least 8s',
    );
  });
});
