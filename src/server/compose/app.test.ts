import { afterEach, describe, expect, it } from 'vitest';
import {
  ALLOWED_ORIGIN,
  AVAILABILITY_QUERY,
  createKpiAppFixture,
  ERROR_RATE_QUERY,
  type KpiAppFixture,
  READ_TOKEN,
  WRITE_TOKEN,
} from '#test-support/kpi-app-fixture.js';
import type { TargetHealth } from '../../sdk/types.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const fixtures: KpiAppFixture[] = [];
function fixture(options?: Parameters<typeof createKpiAppFixture>[0]): KpiAppFixture {
  const f = createKpiAppFixture(options);
  fixtures.push(f);
  return f;
}
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.close();
});

describe('CORS', () => {
  it('allows an origin on the policy allowlist', async () => {
    const res = await fixture().request('/api/v1/kpis', { headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('gives any other origin no Access-Control-Allow-Origin', async () => {
    const res = await fixture().request('/api/v1/kpis', {
      headers: { origin: 'https://evil.example.com' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight for a policy change from an allowed origin', async () => {
    const res = await fixture().request('/api/v1/policy', {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
  });

  it('keeps CORS headers on error answers, so a page can read them', async () => {
    const res = await fixture().request('/api/v1/kpis/nope', {
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });
});

describe('reading with auth.read: token', () => {
  it('needs a token for every API read and /metrics, not for health', async () => {
    const f = fixture({ read: 'token' });
    for (const path of ['/api/v1/kpis', '/api/v1/targets', '/api/v1/policy', '/metrics']) {
      const res = await f.request(path);
      expect([path, res.status]).toEqual([path, 401]);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="kpi-lights"');
    }
    expect((await f.request('/api/v1/kpis', { token: READ_TOKEN })).status).toBe(200);
    expect((await f.request('/api/v1/kpis', { token: WRITE_TOKEN })).status).toBe(200);
    expect((await f.request('/healthz')).status).toBe(200);
  });
});

describe('health', () => {
  it('is alive at once and ready after the first evaluation', async () => {
    const f = fixture();
    expect(await (await f.request('/healthz')).json()).toEqual({ status: 'ok' });
    const before = await f.request('/readyz');
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({
      status: 'not ready',
      checks: { policy: 'ok', database: 'ok', evaluated: 'failing' },
    });
    await f.evaluator.evaluate(T0);
    const after = await f.request('/readyz');
    expect(after.status).toBe(200);
    expect((await after.json()).status).toBe('ready');
  });

  it('is not ready once the database is closed', async () => {
    const f = fixture();
    await f.evaluator.evaluate(T0);
    f.database.close();
    const res = await f.request('/readyz');
    expect(res.status).toBe(503);
    expect((await res.json()).checks.database).toBe('failing');
    // The fixture closes it again, which does nothing.
  });
});

describe('GET /api/v1/targets', () => {
  it('answers each target in the API shape, unknown before its first scrape', async () => {
    const res = await fixture().request('/api/v1/targets');
    expect((await res.json()) as TargetHealth[]).toEqual([
      {
        url: 'http://127.0.0.1:9/metrics',
        job: 'efile',
        labels: { agency: 'IRS', instance: '127.0.0.1:9', job: 'efile', service: 'efile' },
        health: 'unknown',
        lastScrape: null,
        lastDurationMs: null,
        lastSampleCount: null,
        lastError: null,
        lastLatenessMs: null,
        missedSlots: 0,
      },
    ]);
  });
});

describe('GET /metrics', () => {
  it("exports the server's own numbers and every KPI's status and value", async () => {
    const f = fixture();
    f.source.values.set(ERROR_RATE_QUERY, 0.05);
    await f.evaluator.evaluate(T0);
    const res = await f.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('kpi_lights_kpi_status{kpi="error-rate"} 2');
    expect(text).toContain('kpi_lights_kpi_status{kpi="availability"} -1');
    expect(text).toContain('kpi_lights_kpi_value{kpi="error-rate"} 0.05');
    expect(text).not.toContain('kpi_lights_kpi_value{kpi="availability"}');
    expect(text).toContain('kpi_lights_evaluation_rounds_total 1');
    expect(text).toContain('kpi_lights_kpi_evaluation_failures_total 0');
    expect(text).toContain('kpi_lights_sse_clients 0');
    expect(text).toContain('kpi_lights_sse_events_dropped_total 0');
    expect(text).toContain('# TYPE kpi_lights_scrape_duration_seconds histogram');
    expect(text).toContain('# TYPE kpi_lights_evaluation_last_duration_seconds gauge');
  });

  it('counts scrapes per job', async () => {
    const f = fixture();
    f.server.metrics.observeScrape(
      {
        targetId: 'x',
        url: 'http://127.0.0.1:9/metrics',
        timestampMs: T0,
        durationMs: 30,
        error: null,
        samplesScraped: 12,
        samplesAppended: 12,
        seriesAdded: 12,
        staleMarkers: 0,
        wireBytes: 100,
        bodyBytes: 100,
      },
      'efile',
    );
    const text = await (await f.request('/metrics')).text();
    expect(text).toContain('kpi_lights_scrape_duration_seconds_count{job="efile"} 1');
    expect(text).toContain('kpi_lights_scrape_samples_total{job="efile"} 12');
  });
});

describe('GET /api/v1/stream in process', () => {
  it('sends the snapshot of every reading first', async () => {
    const f = fixture();
    f.source.values.set(AVAILABILITY_QUERY, 1);
    await f.evaluator.evaluate(T0);
    const res = await f.request('/api/v1/stream');
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: snapshot')) text += (await reader.read()).value ?? '';
    while (!text.endsWith('\n\n')) text += (await reader.read()).value ?? '';
    await reader.cancel();
    const data = JSON.parse(/^data: (.*)$/m.exec(text)![1]);
    expect(data.policyVersion).toBe(1);
    expect(data.alerts).toEqual([]);
    expect(data.kpis.map((k: { id: string; status: string }) => [k.id, k.status])).toEqual([
      ['error-rate', 'unknown'],
      ['availability', 'ok'],
    ]);
  });
});

describe('malformed requests', () => {
  it('never crash the server', async () => {
    const f = fixture();
    const paths = [
      '/api/v1/kpis/%E0%A4%A',
      '/api/v1/kpis/error-rate/history?from=%ZZ',
      '/api/v1/kpis/error-rate/history?from=1e400',
      `/api/v1/kpis/${'x'.repeat(10_000)}`,
      '/api/v1/../../etc/passwd',
    ];
    for (const path of paths) {
      const res = await f.request(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    expect((await f.request('/healthz')).status).toBe(200);
  });
});
