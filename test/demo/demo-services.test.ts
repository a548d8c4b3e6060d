/** The demo's e-file services in-process: validation, status, knobs, and what the metrics count. */
import { describe, expect, it } from 'vitest';
import { createEfileService } from '../../demo/services/create-efile-service.js';
import { createStatusService } from '../../demo/services/create-status-service.js';
import { FilingLedger } from '../../demo/services/filing-ledger.js';
import { parseKnobFlags } from '../../demo/services/knobs.js';

const filing = { form: '1040', taxYear: 2024, tin: '123456789', agi: 54_000 };
const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('demo e-file services', () => {
  it('accepts a valid filing, refuses an invalid one, and reports the status of the accepted one', async () => {
    const ledger = new FilingLedger();
    const efile = createEfileService({ ledger, workMs: [0, 1] });
    const status = createStatusService({ ledger, workMs: [0, 1] });
    const ok = await efile.app.request('/filings', post(filing));
    expect(ok.status).toBe(202);
    const { id } = (await ok.json()) as { id: string };
    const bad = await efile.app.request('/filings', post({ ...filing, tin: '12-34', extra: 1 }));
    expect(bad.status).toBe(400);
    const { issues } = (await bad.json()) as { issues: string[] };
    expect(issues.join(' ')).toMatch(/tin/);
    const st = await status.app.request(`/filings/${id}/status`);
    expect(await st.json()).toEqual({ id, status: 'received' });
    const unknown = await status.app.request(
      '/filings/00000000-0000-0000-0000-000000000000/status',
    );
    expect(unknown.status).toBe(404);
  });

  it('injects errors and latency from the knob endpoint, and keeps knob calls out of the metrics', async () => {
    const efile = createEfileService({ workMs: [0, 1], random: () => 0.05 });
    const set = await efile.app.request('/_knobs', post({ errorRate: 0.1, extraLatencyMs: 30 }));
    expect(await set.json()).toEqual({ errorRate: 0.1, extraLatencyMs: 30 });
    const t0 = performance.now();
    const failed = await efile.app.request('/filings', post(filing));
    expect(failed.status).toBe(503);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    await efile.app.request('/_knobs', post({ errorRate: 0 }));
    expect((await efile.app.request('/filings', post(filing))).status).toBe(202);
    expect(await (await efile.app.request('/_knobs')).json()).toEqual({
      errorRate: 0,
      extraLatencyMs: 30,
    });

    const text = await (await efile.app.request('/metrics')).text();
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/filings"[^}]*status="503"[^}]*\} 1/);
    expect(text).toMatch(/service="efile",agency="IRS",env="demo"/);
    expect(text).not.toMatch(/_knobs|route="\/metrics"/);
  });

  it('refuses knob values out of range, from HTTP and from flags', async () => {
    const status = createStatusService();
    const res = await status.app.request('/_knobs', post({ errorRate: 2 }));
    expect(res.status).toBe(400);
    expect(status.knobs.settings.errorRate).toBe(0);
    expect(parseKnobFlags(['--error-rate', '0.1', '--latency-ms=1500', 'x'])).toEqual({
      errorRate: 0.1,
      extraLatencyMs: 1500,
    });
    expect(() => parseKnobFlags(['--error-rate', '10'])).toThrow(/--error-rate/);
    expect(() => parseKnobFlags(['--latency-ms'])).toThrow(/needs a value/);
  });
});
