import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { KpiReading } from '../../sdk/types.js';
import { createKpiHub, createStreamRoutes, publishReadings } from './stream.js';

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

describe('the KPI stream', () => {
  it('publishes readings as kpi events and a heartbeat event when idle', async () => {
    const hub = createKpiHub({ readings: () => [reading(0)], policyVersion: () => 7 });
    const listeners = new Set<(r: KpiReading) => void>();
    const stop = publishReadings({
      hub,
      heartbeatMs: 30,
      now: () => Date.UTC(2026, 10, 24),
      onReading: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    });
    const app = new Hono().route('/', createStreamRoutes({ hub }));
    const res = await app.request('/api/v1/stream');
    for (const l of listeners) l(reading(0.5));
    const text = await readUntil(res, (t) => t.includes('event: heartbeat'));
    expect(text).toContain(
      'event: snapshot\ndata: {"policyVersion":7,"kpis":[{"id":"k","title":"K","unit":"ratio"',
    );
    expect(text).toMatch(/id: 1\nevent: kpi\ndata: \{"id":"k".*"value":0\.5/);
    expect(text).toContain('event: heartbeat\ndata: {"time":"2026-11-24T00:00:00.000Z"}');
    stop();
    expect(listeners.size).toBe(0);
    hub.close();
  });
});
