/** Isolation: hostile host-page CSS cannot hide or garble the components. (The strict-CSP page runs the built bundle: test/embed-browser.test.ts.) */
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
});
