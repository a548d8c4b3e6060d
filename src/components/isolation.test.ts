/** Isolation: hostile host-page CSS cannot hide or garble the components, and a strict CSP page runs them. */
import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { configure, resetConnections } from './connection/page-connection.js';
import './embed.js';
import type { KpiLight } from './kpi-light/kpi-light.js';
import type { LatencyChart } from './latency-chart/latency-chart.js';
import { reading, ScriptedClient, TEST_NOW } from './testing/scripted-client.fixture.js';

const HOSTILE_CSS = new URL('./testing/hostile.css', import.meta.url).href;

describe('isolation from the host page', () => {
  let hostile: HTMLLinkElement;
  let client: ScriptedClient;

  beforeEach(async () => {
    hostile = document.createElement('link');
    hostile.rel = 'stylesheet';
    hostile.href = HOSTILE_CSS;
    const loaded = new Promise((resolve) => hostile.addEventListener('load', resolve));
    document.head.append(hostile);
    await loaded;
    resetConnections();
    client = new ScriptedClient();
    configure({ createClient: () => client, now: () => TEST_NOW });
  });

  afterEach(() => hostile.remove());

  it('keeps every light readable and accessible under hostile global CSS', async () => {
    const el = await fixture<KpiLight>(html`<kpi-light kpi="efile-error-rate"></kpi-light>`);
    client.push({
      type: 'snapshot',
      data: { policyVersion: 1, kpis: [reading({ status: 'critical' })], alerts: [] },
    });
    await nextFrame();
    await el.updateComplete;
    const word = el.shadowRoot!.querySelector<HTMLElement>('[part~="status"]')!;
    const style = getComputedStyle(word);
    expect(style.display).to.not.equal('none');
    expect(style.color).to.not.equal('rgba(0, 0, 0, 0)');
    expect(style.fontFamily).to.not.equal('serif');
    expect(word.getBoundingClientRect().width).to.be.above(0);
    const shape = el.shadowRoot!.querySelector<SVGElement>('[part~="shape"]')!;
    expect(getComputedStyle(shape).display).to.not.equal('none');
    await expect(el).to.be.accessible();
  });

  it('keeps the chart’s summary and table button usable under hostile global CSS', async () => {
    client.histories.set('efile-error-rate', {
      id: 'efile-error-rate',
      from: TEST_NOW - 60_000,
      to: TEST_NOW,
      step: 60_000,
      t: [TEST_NOW - 60_000],
      v: [0.02],
      status: ['warning'],
    });
    const el = await fixture<LatencyChart>(
      html`<latency-chart kpi="efile-error-rate"></latency-chart>`,
    );
    // The embed loads the chart's module when a chart appears.
    await customElements.whenDefined('latency-chart');
    client.push({
      type: 'snapshot',
      data: { policyVersion: 1, kpis: [reading({ status: 'warning' })], alerts: [] },
    });
    await waitUntil(() => el.shadowRoot!.querySelector('canvas') !== null, 'chart drawn');
    const button = el.shadowRoot!.querySelector<HTMLElement>('[part~="table-button"]')!;
    expect(getComputedStyle(button).display).to.not.equal('none');
    const summary = el.shadowRoot!.querySelector<HTMLElement>('[part~="summary"]')!;
    expect(getComputedStyle(summary).visibility).to.equal('visible');
    await expect(el).to.be.accessible();
  });

  it('runs under the strict CSP with trusted types and leaks no styles out', async () => {
    const origin = location.origin;
    const csp = [
      "default-src 'none'",
      `script-src ${origin}`,
      `connect-src ${origin}`,
      "style-src 'self'",
      "require-trusted-types-for 'script'",
      'trusted-types lit-html',
    ].join('; ');
    const page = new URL('./testing/csp-page.fixture.ts', import.meta.url).href;
    const frame = document.createElement('iframe');
    // The CSP meta comes first, so it governs everything the page loads after it.
    frame.srcdoc = `<!doctype html><html lang="en"><head>
      <meta http-equiv="Content-Security-Policy" content="${csp}">
      <link rel="stylesheet" href="${HOSTILE_CSS}">
      <script type="module" src="${page}"></script></head>
      <body><p id="host-text">Host text</p><kpi-light kpi="efile-error-rate"></kpi-light>
      <latency-chart kpi="efile-error-rate"></latency-chart></body></html>`;
    frame.width = '800';
    frame.height = '600';
    document.body.append(frame);
    try {
      const doc = () => frame.contentDocument!;
      await waitUntil(
        () =>
          doc().querySelector('kpi-light')?.shadowRoot?.querySelector('[part~="status"]') &&
          doc().querySelector('latency-chart')?.shadowRoot?.querySelector('canvas'),
        'components rendered under CSP',
        { timeout: 4000 },
      );
      const light = doc().querySelector('kpi-light')!;
      expect(light.shadowRoot!.querySelector('[part~="status"]')!.textContent).to.equal('Critical');
      expect(frame.contentWindow!.cspPage!.violations).to.deep.equal([]);
      // The host's own paragraph keeps the host's (hostile) font: nothing leaked out.
      const hostText = doc().getElementById('host-text')!;
      expect(frame.contentWindow!.getComputedStyle(hostText).fontFamily).to.equal('serif');
      // No style attribute anywhere in the shadow roots: CSP's style-src would block it.
      for (const host of [light, doc().querySelector('latency-chart')!]) {
        const styled = [...host.shadowRoot!.querySelectorAll('*')].filter(
          (node) => node.hasAttribute('style') && node.closest('.uplot') === null,
        );
        expect(styled).to.deep.equal([]);
      }
    } finally {
      frame.remove();
    }
  });
});
