/** Theming: a page's `--kpi-*` set on an ancestor, or on the element, is what the elements draw with; unset, the defaults. */
import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import { configure, resetConnections } from '../connection/page-connection.js';
import '../embed.js';
import type { KpiLight } from '../kpi-light/kpi-light.js';
import '../latency-chart/latency-chart.js';
import { resetColorScheme, useColorScheme } from '../testing/light-dark.fixture.js';
import { reading, ScriptedClient, TEST_NOW } from '../testing/scripted-client.fixture.js';

let client: ScriptedClient;

/** The light's card, status word and shape, once its reading has been drawn. */
async function drawn(light: KpiLight) {
  await nextFrame();
  await light.updateComplete;
  const root = light.shadowRoot!;
  return {
    card: getComputedStyle(root.querySelector('[part~="light"]')!),
    word: getComputedStyle(root.querySelector('[part~="status"]')!),
    shape: getComputedStyle(root.querySelector('[part~="shape"]')!.firstElementChild!),
  };
}

beforeEach(() => {
  resetConnections();
  client = new ScriptedClient();
  configure({ createClient: () => client, now: () => TEST_NOW });
});

afterEach(resetColorScheme);

const snapshot = (status: 'critical' | 'unknown') =>
  client.push({
    type: 'snapshot',
    data: { policyVersion: 1, kpis: [reading({ status })], alerts: [] },
  });

describe('--kpi-* custom properties', () => {
  it('takes colours set on an ancestor of the element', async () => {
    const page = await fixture<HTMLElement>(html`<section>
      <div><kpi-light kpi="efile-error-rate"></kpi-light></div>
    </section>`);
    page.style.setProperty('--kpi-critical-edge', 'rgb(1, 2, 3)');
    page.style.setProperty('--kpi-critical-fill', 'rgb(4, 5, 6)');
    page.style.setProperty('--kpi-background', 'rgb(7, 8, 9)');
    page.style.setProperty('--kpi-font', 'monospace');
    snapshot('critical');
    const { card, word, shape } = await drawn(page.querySelector('kpi-light')!);
    expect(word.color).to.equal('rgb(1, 2, 3)');
    expect(shape.stroke).to.equal('rgb(1, 2, 3)');
    expect(shape.fill).to.equal('rgb(4, 5, 6)');
    expect(card.backgroundColor).to.equal('rgb(7, 8, 9)');
    expect(card.fontFamily).to.equal('monospace');
  });

  it('reaches the lights inside a board from an ancestor of the board', async () => {
    const page = await fixture<HTMLElement>(html`<div><kpi-board></kpi-board></div>`);
    page.style.setProperty('--kpi-critical-edge', 'rgb(1, 2, 3)');
    snapshot('critical');
    const board = page.querySelector('kpi-board')!;
    await nextFrame();
    await board.updateComplete;
    const light = board.shadowRoot!.querySelector('kpi-light')!;
    expect((await drawn(light)).word.color).to.equal('rgb(1, 2, 3)');
  });

  it('lets a value on the element itself beat its ancestor’s', async () => {
    const page = await fixture<HTMLElement>(
      html`<div><kpi-light kpi="efile-error-rate"></kpi-light></div>`,
    );
    page.style.setProperty('--kpi-critical-edge', 'rgb(1, 2, 3)');
    page.querySelector('kpi-light')!.style.setProperty('--kpi-critical-edge', 'rgb(9, 9, 9)');
    snapshot('critical');
    expect((await drawn(page.querySelector('kpi-light')!)).word.color).to.equal('rgb(9, 9, 9)');
  });

  it('keeps the light and dark defaults where the page sets nothing', async () => {
    const defaults = { light: 'rgb(181, 9, 9)', dark: 'rgb(248, 137, 127)' } as const;
    for (const scheme of ['light', 'dark'] as const) {
      await useColorScheme(scheme).catch(() => undefined);
      if (matchMedia('(prefers-color-scheme: dark)').matches !== (scheme === 'dark')) continue;
      const light = await fixture<KpiLight>(html`<kpi-light kpi="efile-error-rate"></kpi-light>`);
      snapshot('critical');
      expect((await drawn(light)).word.color).to.equal(defaults[scheme]);
    }
  });

  it('draws an unknown shape hollow unless the page gives it a fill', async () => {
    const page = await fixture<HTMLElement>(
      html`<div><kpi-light kpi="efile-error-rate"></kpi-light></div>`,
    );
    snapshot('unknown');
    const light = page.querySelector('kpi-light')!;
    expect((await drawn(light)).shape.fill).to.equal('none');
    page.style.setProperty('--kpi-unknown-fill', 'rgb(1, 2, 3)');
    expect((await drawn(light)).shape.fill).to.equal('rgb(1, 2, 3)');
  });

  it('gives the chart an ancestor’s line and band colours', async () => {
    const page = await fixture<HTMLElement>(
      html`<div><latency-chart kpi="efile-error-rate"></latency-chart></div>`,
    );
    page.style.setProperty('--kpi-series-1', 'rgb(1, 2, 3)');
    page.style.setProperty('--kpi-critical-band', 'rgb(4, 5, 6)');
    const chart = page.querySelector('latency-chart')!;
    const style = getComputedStyle(chart);
    // What the chart reads for uPlot at each draw.
    expect(style.getPropertyValue('--_kpi-series-1').trim()).to.equal('rgb(1, 2, 3)');
    expect(style.getPropertyValue('--_kpi-critical-band').trim()).to.equal('rgb(4, 5, 6)');
  });
});
