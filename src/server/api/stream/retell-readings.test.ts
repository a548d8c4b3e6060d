/** A steady reading is told again before viewers' copies pass their staleAfter, and only then. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KpiReading, StreamEvents } from '../../../sdk/types.js';
import { retellSteadyReadings } from './retell-readings.js';
import type { SseHub } from './sse-hub.js';

const T = Date.UTC(2026, 10, 24, 12);
const at = (evaluatedMs: number): KpiReading => ({
  id: 'k',
  title: 'K',
  unit: 'ratio',
  direction: 'higher-is-worse',
  thresholds: { warning: 1, critical: 2 },
  value: 0.5,
  status: 'ok',
  evaluatedAt: new Date(evaluatedMs).toISOString(),
  policyVersion: 1,
  stale: false,
  staleAfter: new Date(evaluatedMs + 20_000).toISOString(),
});

afterEach(() => {
  vi.useRealTimers();
});

describe('retellSteadyReadings', () => {
  it('retells the current reading when the told copy nears staleAfter', () => {
    vi.useFakeTimers({ now: T });
    const told: KpiReading[] = [];
    const hub = {
      stats: { clients: 1 },
      publish: (_type: string, data: KpiReading) => told.push(data),
    } as unknown as SseHub<StreamEvents>;
    let current = at(T);
    const retell = retellSteadyReadings({
      hub,
      readings: () => [current],
      intervalMs: () => 10_000,
    });
    retell.told(current); // the change itself went out as a kpi event
    current = at(T + 10_000);
    vi.advanceTimersByTime(5_000); // told copy is fresh until T+20s: beyond one interval
    expect(told).toEqual([]);
    vi.advanceTimersByTime(5_000); // now T+10s: it would pass staleAfter within an interval
    expect(told.map((r) => r.evaluatedAt)).toEqual([new Date(T + 10_000).toISOString()]);
    vi.advanceTimersByTime(5_000); // nothing newer to tell
    expect(told).toHaveLength(1);
    retell.stop();
    current = at(T + 30_000);
    vi.advanceTimersByTime(60_000);
    expect(told).toHaveLength(1);
  });
});
