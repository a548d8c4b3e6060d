/** The demo's agency page server and policy file: strict CSP, no inline code, no HTML from data, ports that agree. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPageServer } from '../../demo/page-server.js';
import { DEMO_PORTS } from '../../demo/ports.js';
import { loadPolicyFile } from '../../src/server/policy/index.js';

const pageFile = (name: string) =>
  readFileSync(new URL(`../../demo/page/${name}`, import.meta.url), 'utf8');

describe('demo agency page', () => {
  it('serves the page with the strict CSP: code and data from the KPI server, trusted types', async () => {
    const app = createPageServer({ apiOrigin: 'http://127.0.0.1:9999', onAlert: () => {} });
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('script-src http://127.0.0.1:9999;');
    expect(csp).toContain('connect-src http://127.0.0.1:9999;');
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("require-trusted-types-for 'script'; trusted-types lit-html");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    // The meta tag and the one script tag follow the KPI server's real origin.
    expect(html).toContain('script-src http://127.0.0.1:9999;');
    expect(html).toContain('<script type="module" src="http://127.0.0.1:9999/embed.js"></script>');
    expect(html).not.toContain('8100');
    expect((await app.request('/agency.css')).headers.get('content-type')).toMatch(/text\/css/);
    expect((await app.request('/lights.js')).status).toBe(404);
    expect((await app.request('/../start.ts')).status).toBe(404);
    expect((await app.request('/page-server.ts')).status).toBe(404);
  });

  it('embeds the components by one script tag, with no inline script or style', () => {
    const html = pageFile('index.html');
    expect(html).toMatch(/http-equiv="Content-Security-Policy"/);
    const scripts = html.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? [];
    expect(scripts).toEqual([
      '<script type="module" src="http://127.0.0.1:8100/embed.js"></script>',
    ]);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).toContain('<kpi-board');
    expect(html).toMatch(/<td><kpi-light kpi="[a-z-]+" compact><\/kpi-light><\/td>/);
    expect(html).toContain('<latency-chart kpi="efile-error-rate"');
  });

  it('prints alert notifications posted to its webhook', async () => {
    const got: unknown[] = [];
    const app = createPageServer({
      apiOrigin: 'http://127.0.0.1:8100',
      onAlert: (n) => got.push(n),
    });
    const res = await app.request('/_alerts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'EFileErrorRateHigh', state: 'firing' }),
    });
    expect(res.status).toBe(204);
    expect(got).toEqual([{ name: 'EFileErrorRateHigh', state: 'firing' }]);
  });
});

describe('demo policy', () => {
  it('loads, has the tax-day KPIs, and names the ports the demo listens on', () => {
    const { policy } = loadPolicyFile(
      new URL('../../demo/kpi-lights.yaml', import.meta.url).pathname,
    );
    const byId = new Map(policy.kpis.map((k) => [k.id, k]));
    expect(byId.get('efile-error-rate')?.thresholds).toEqual({ warning: 0.01, critical: 0.03 });
    expect(byId.get('efile-latency')?.unit).toBe('seconds');
    const fast = byId.get('efile-fast-filings');
    expect(fast?.objective).toBe(0.99);
    expect(fast?.direction).toBe('lower-is-worse');
    expect(fast?.query).toContain('le="2"');
    const under2s = byId.get('efile-answered-under-2s');
    expect(under2s?.query).toContain('histogram_fraction(0, 2,');
    expect(under2s?.direction).toBe('lower-is-worse');
    expect(policy.targets.map((t) => t.url)).toEqual([
      `http://127.0.0.1:${DEMO_PORTS.efile}/metrics`,
      `http://127.0.0.1:${DEMO_PORTS.status}/metrics`,
      `http://127.0.0.1:${DEMO_PORTS.intake}/metrics`,
    ]);
    expect(policy.cors.origins).toContain(`http://127.0.0.1:${DEMO_PORTS.page}`);
    expect(policy.receivers[0].webhook?.url).toBe(`http://127.0.0.1:${DEMO_PORTS.page}/_alerts`);
    expect(policy.receivers[0].email?.smtp).toBe(`smtp://127.0.0.1:${DEMO_PORTS.smtp}`);
    expect(policy.alerts.map((a) => [a.name, a.condition, a.forMs])).toEqual([
      // The story's rule: above 3 % for 3 consecutive minutes.
      ['EFileErrorRateHigh', { kind: 'kpi', kpi: 'efile-error-rate', when: 'critical' }, 180_000],
      [
        'EFileFastFilingsBudgetBurn',
        { kind: 'burn-rate', kpi: 'efile-fast-filings', speed: 'page' },
        0,
      ],
    ]);
  });
});
