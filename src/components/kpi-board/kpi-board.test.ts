/** Browser tests of `<kpi-board>`: which lights it shows, one stream, accessibility. */
import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import { configure, resetConnections } from '../connection/page-connection.js';
import type { KpiLight } from '../kpi-light/kpi-light.js';
import { COLOR_SCHEMES, resetColorScheme, useColorScheme } from '../testing/light-dark.fixture.js';
import { reading, ScriptedClient, TEST_NOW } from '../testing/scripted-client.fixture.js';
import type { KpiBoard } from './kpi-board.js';
import './kpi-board.js';

let client: ScriptedClient;

const snapshot = [
  reading({ id: 'efile-error-rate', status: 'critical' }),
  reading({ id: 'efile-latency', title: 'E-file latency', status: 'warning' }),
  reading({ id: 'payments-error-rate', title: 'Payments error rate', status: 'ok' }),
  reading({ id: 'efile-fast', title: 'Fast filings', status: 'unknown' }),
];

async function boardWith(template: ReturnType<typeof html>): Promise<KpiBoard> {
  const el = await fixture<KpiBoard>(template);
  client.push({ type: 'snapshot', data: { policyVersion: 1, kpis: snapshot, alerts: [] } });
  await nextFrame();
  await el.updateComplete;
  const lights = [...el.shadowRoot!.querySelectorAll('kpi-light')];
  await Promise.all(lights.map((l) => l.updateComplete));
  return el;
}

function shownIds(el: KpiBoard): string[] {
  return [...el.shadowRoot!.querySelectorAll<KpiLight>('kpi-light')].map((l) => l.kpi);
}

beforeEach(() => {
  resetConnections();
  client = new ScriptedClient();
  configure({ createClient: () => client, now: () => TEST_NOW });
});

afterEach(resetColorScheme);

describe('<kpi-board>', () => {
  it('shows every KPI by default, through one stream', async () => {
    const el = await boardWith(html`<kpi-board></kpi-board>`);
    expect(shownIds(el)).to.deep.equal(snapshot.map((r) => r.id));
    expect(client.watchCalls).to.equal(1);
  });

  it('shows the KPIs matching a filter', async () => {
    const el = await boardWith(html`<kpi-board filter="efile-*"></kpi-board>`);
    expect(shownIds(el)).to.deep.equal(['efile-error-rate', 'efile-latency', 'efile-fast']);
  });

  it('shows listed KPIs in the listed order', async () => {
    const el = await boardWith(
      html`<kpi-board kpis="payments-error-rate, efile-latency"></kpi-board>`,
    );
    expect(shownIds(el)).to.deep.equal(['payments-error-rate', 'efile-latency']);
  });

  it('adds a KPI the server starts sending', async () => {
    const el = await boardWith(html`<kpi-board filter="efile-*"></kpi-board>`);
    client.push({ type: 'kpi', data: reading({ id: 'efile-new', title: 'New one' }) });
    await nextFrame();
    await el.updateComplete;
    expect(shownIds(el)).to.include('efile-new');
  });

  it('puts the worst error budget first with sort="budget", KPIs without one last', async () => {
    const budget = (remaining: number) => ({ objective: 0.99, window: '30d', remaining });
    const el = await fixture<KpiBoard>(html`<kpi-board sort="budget"></kpi-board>`);
    client.push({
      type: 'snapshot',
      data: {
        policyVersion: 1,
        alerts: [],
        kpis: [
          reading({ id: 'a', title: 'A', objective: 0.99, budget: budget(0.7) }),
          reading({ id: 'no-objective', title: 'B' }),
          reading({ id: 'overspent', title: 'C', objective: 0.99, budget: budget(-0.3) }),
          reading({ id: 'low', title: 'D', objective: 0.99, budget: budget(0.1) }),
          reading({ id: 'not-yet', title: 'E', objective: 0.99 }),
        ],
      },
    });
    await nextFrame();
    await el.updateComplete;
    expect(shownIds(el)).to.deep.equal(['overspent', 'low', 'a', 'no-objective', 'not-yet']);
    // A budget that drops moves its light up.
    client.push({
      type: 'kpi',
      data: reading({ id: 'a', title: 'A', objective: 0.99, budget: budget(-0.5) }),
    });
    await nextFrame();
    await el.updateComplete;
    expect(shownIds(el)[0]).to.equal('a');
    await expect(el).to.be.accessible();
  });

  it('says so, and keeps its order, for a sort it does not know', async () => {
    const el = await boardWith(html`<kpi-board sort="status"></kpi-board>`);
    expect(el.shadowRoot!.textContent).to.include('sort="status" is not known; use sort="budget"');
    expect(shownIds(el)).to.deep.equal(snapshot.map((r) => r.id));
  });

  for (const scheme of COLOR_SCHEMES) {
    it(`is accessible with lights in every status, ${scheme}`, async () => {
      await useColorScheme(scheme);
      const el = await boardWith(html`<kpi-board></kpi-board>`);
      await expect(el).to.be.accessible();
      const compact = await boardWith(html`<kpi-board compact></kpi-board>`);
      await expect(compact).to.be.accessible();
    });
  }
});
