import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KpiReading } from '../../../sdk/types.js';
import { createKpiHub, createStreamRoutes } from './stream.js';

const reading = (value: number): KpiReading => ({
  id: 'k',
  title: 'K',
  unit: 'ratio',
  direction: 'higher-is-worse',
  thresholds: { warning: 1, critical: 2 },
  value,
  status: 'ok',
  evaluatedAt: '2026-11-24T12:00:00.000Z',
  policyVersion: 1,
  stale: false,
  staleAfter: '2026-11-24T12:00:30.000Z',
});

async function readUntil(res: Response, done: (text: string) => boolean): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!done(text)) text += (await reader.read()).value ?? '';
  await reader.cancel();
  return text;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the KPI stream', () => {
  it('publishes readings as kpi events and a heartbeat event when idle', async () => {
    vi.useFakeTimers();
    const hub = createKpiHub({
      readings: () => [reading(0)],
      policyVersion: () => 7,
      heartbeatMs: 30,
      now: () => Date.UTC(2026, 10, 24),
    });
    const app = new Hono().route('/api/v1/stream', createStreamRoutes({ hub }));
    const res = await app.request('/api/v1/stream');
    hub.publish('kpi', reading(0.5));
    // The first tick sees the kpi event go out; the next one finds the stream idle.
    await vi.advanceTimersByTimeAsync(60);
    const text = await readUntil(res, (t) => t.includes('event: heartbeat'));
    expect(text).toContain(
      'event: snapshot\ndata: {"policyVersion":7,"kpis":[{"id":"k","title":"K","unit":"ratio"',
    );
    expect(text).toMatch(/id: [0-9a-f]{12}-1\nevent: kpi\ndata: \{"id":"k".*"value":0\.5/);
    expect(text).toContain('event: heartbeat\ndata: {"time":"2026-11-24T00:00:00.000Z"}');
    // One heartbeat per idle interval, and none at all once the stream is closed.
    expect(hub.stats.eventsPublished).toBe(2);
    hub.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
