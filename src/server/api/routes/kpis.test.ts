import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AVAILABILITY_QUERY,
  createKpiAppFixture,
  ERROR_RATE_QUERY,
  type KpiAppFixture,
} from '#test-support/kpi-app-fixture.js';
import type { KpiHistory, KpiReading, ProblemDetails } from '../../../sdk/types.js';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
let f: KpiAppFixture;

beforeEach(() => {
  f = createKpiAppFixture();
});
afterEach(() => f.close());

describe('GET /api/v1/kpis', () => {
  it('lists every current reading in policy order', async () => {
    f.source.values.set(ERROR_RATE_QUERY, 0.02);
    f.source.values.set(AVAILABILITY_QUERY, 0.9995);
    await f.evaluator.evaluate(T0);
    const res = await f.request('/api/v1/kpis');
    expect(res.status).toBe(200);
    const body = (await res.json()) as KpiReading[];
    expect(body.map((r) => [r.id, r.value, r.status, r.policyVersion])).toEqual([
      ['error-rate', 0.02, 'warning', 1],
      ['availability', 0.9995, 'ok', 1],
    ]);
    expect(body[0].evaluatedAt).toBe(new Date(T0).toISOString());
  });

  it('answers one KPI, and 404 with a problem for an unknown id', async () => {
    f.source.values.set(ERROR_RATE_QUERY, 0.05);
    await f.evaluator.evaluate(T0);
    const one = (await (await f.request('/api/v1/kpis/error-rate')).json()) as KpiReading;
    expect(one).toMatchObject({ id: 'error-rate', status: 'critical', value: 0.05 });

    const res = await f.request('/api/v1/kpis/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no KPI with id "nope"',
    });
  });

  it('says a known KPI has no reading yet before the first evaluation', async () => {
    const res = await f.request('/api/v1/kpis/availability');
    expect(res.status).toBe(503);
    expect(((await res.json()) as ProblemDetails).detail).toBe(
      'KPI "availability" has not been evaluated yet',
    );
  });
});

describe('GET /api/v1/kpis/:id/history', () => {
  it('answers columnar buckets: mean value, worst status, empty buckets unknown', async () => {
    const steps: [number, number][] = [
      [0, 0.005],
      [15_000, 0.015],
      [30_000, 0.04],
      [45_000, 0.001],
      // 60 000 – 120 000: nothing
      [120_000, 0.002],
    ];
    for (const [dt, v] of steps) {
      f.source.values.set(ERROR_RATE_QUERY, v);
      await f.evaluator.evaluate(T0 + dt);
    }
    const from = new Date(T0).toISOString();
    const res = await f.request(
      `/api/v1/kpis/error-rate/history?from=${from}&to=${(T0 + 179_999) / 1000}&step=1m`,
    );
    expect(res.status).toBe(200);
    const h = (await res.json()) as KpiHistory;
    expect(h).toMatchObject({ id: 'error-rate', from: T0, to: T0 + 179_999, step: 60_000 });
    expect(h.t).toEqual([T0, T0 + 60_000, T0 + 120_000]);
    expect(h.v[0]).toBeCloseTo((0.005 + 0.015 + 0.04 + 0.001) / 4, 12);
    expect(h.v.slice(1)).toEqual([null, 0.002]);
    expect(h.status).toEqual(['critical', 'unknown', 'ok']);
  });

  it('takes the step in milliseconds and epoch milliseconds for times', async () => {
    f.source.values.set(ERROR_RATE_QUERY, 0.5);
    await f.evaluator.evaluate(T0);
    const res = await f.request(`/api/v1/kpis/error-rate/history?from=${T0}&to=${T0}&step=30000`);
    const h = (await res.json()) as KpiHistory;
    expect([h.step, h.t, h.v, h.status]).toEqual([30_000, [T0], [0.5], ['critical']]);
  });

  it.each([
    [
      'from=soon&to=1764000000',
      'invalid parameter "from": cannot read "soon" as a time; use RFC 3339 like 2026-11-24T12:00:00Z, epoch seconds like 1764000000, or epoch milliseconds like 1764000000000',
      'from',
    ],
    [
      'from=1764000000&to=1764003600&step=-5',
      'invalid parameter "step": cannot read "-5" as a step; use a duration like 30s, 5m or 1h, or whole milliseconds like 60000',
      'step',
    ],
    [
      'from=1764003600&to=1764000000&step=1m',
      'invalid parameter "to": must not be before "from" (2025-11-24T17:00:00.000Z), got 2025-11-24T16:00:00.000Z',
      'to',
    ],
    [
      'from=0&to=1764000000&step=1m',
      'invalid parameter "step": 29400001 buckets asked for, at most 11000; use a step of at least 2d',
      'step',
    ],
  ])('refuses %s with a 400 problem naming the parameter', async (query, detail, parameter) => {
    const res = await f.request(`/api/v1/kpis/error-rate/history?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail,
      parameter,
    });
  });

  it('answers 404 for a KPI with neither a definition nor a past', async () => {
    const res = await f.request('/api/v1/kpis/ghost/history?from=0&to=60&step=1m');
    expect(res.status).toBe(404);
  });
});
