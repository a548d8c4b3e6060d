/** Browser tests of `<alert-list>`: order, severity word and shape, muted alerts, live changes, accessibility. */
import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import type { AlertInfo } from '../../sdk/types.js';
import { configure, resetConnections } from '../connection/page-connection.js';
import { COLOR_SCHEMES, resetColorScheme, useColorScheme } from '../testing/light-dark.fixture.js';
import { ScriptedClient, TEST_NOW } from '../testing/scripted-client.fixture.js';
import type { AlertList } from './alert-list.js';
import './alert-list.js';

let client: ScriptedClient;

function alert(overrides: Partial<AlertInfo> = {}): AlertInfo {
  return {
    id: 'a1',
    name: 'EfileErrors',
    state: 'firing',
    severity: 'page',
    kpi: 'efile-error-rate',
    labels: { alertname: 'EfileErrors' },
    summary: 'E-file errors at 5.1 %',
    runbook: 'https://runbooks.example.gov/efile-errors',
    activeAt: new Date(TEST_NOW - 300_000).toISOString(),
    firedAt: new Date(TEST_NOW - 240_000).toISOString(),
    policyVersion: 1,
    ...overrides,
  };
}

const pending = alert({
  id: 'a2',
  name: 'FilingsSlowBurn',
  state: 'pending',
  severity: 'ticket',
  kpi: 'efile-fast-filings',
  firedAt: undefined,
  activeAt: new Date(TEST_NOW - 60_000).toISOString(),
});

async function listWith(
  alerts: AlertInfo[],
  template = html`<alert-list></alert-list>`,
): Promise<AlertList> {
  const el = await fixture<AlertList>(template);
  client.push({ type: 'snapshot', data: { policyVersion: 1, kpis: [], alerts } });
  await nextFrame();
  await el.updateComplete;
  return el;
}

const rows = (el: AlertList) => [
  ...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="alert"]'),
];
const text = (row: HTMLElement, part: string) =>
  row.querySelector(`[part~="${part}"]`)?.textContent?.replace(/\s+/g, ' ').trim();

beforeEach(() => {
  resetConnections();
  document.documentElement.lang = 'en-US';
  client = new ScriptedClient();
  configure({ createClient: () => client, now: () => TEST_NOW });
});

afterEach(resetColorScheme);

describe('<alert-list>', () => {
  it('lists firing before pending, each with severity word and shape, and since when', async () => {
    const el = await listWith([pending, alert()]);
    const [firing, waiting] = rows(el);
    expect(text(firing, 'severity')).to.equal('Page');
    expect(firing.dataset.shape).to.equal('square');
    expect(text(firing, 'state')).to.equal('Firing since 4 minutes ago');
    expect(firing.querySelector('time')!.getAttribute('datetime')).to.equal(alert().firedAt);
    expect(text(firing, 'summary')).to.equal('E-file errors at 5.1 %');
    expect(text(waiting, 'severity')).to.equal('Ticket');
    expect(waiting.dataset.shape).to.equal('triangle');
    expect(text(waiting, 'state')).to.equal('Pending since 1 minute ago');
  });

  it('links only http(s) runbooks and marks silenced and inhibited alerts in words', async () => {
    const el = await listWith([
      alert({ silencedBy: ['s1'] }),
      alert({ id: 'a3', runbook: 'javascript:alert(1)', inhibited: true, severity: 'warning' }),
    ]);
    const [silenced, inhibited] = rows(el);
    const link = silenced.querySelector<HTMLAnchorElement>('[part~="runbook"]')!;
    expect(link.href).to.equal('https://runbooks.example.gov/efile-errors');
    expect(link.rel).to.equal('noopener noreferrer');
    expect(text(silenced, 'muted')).to.equal('Silenced: no notifications');
    expect(inhibited.querySelector('[part~="runbook"]')).to.equal(null);
    expect(text(inhibited, 'muted')).to.contain('Inhibited');
  });

  it('follows alert events: a new one appears, a resolved one leaves', async () => {
    const el = await listWith([]);
    expect(el.shadowRoot!.querySelector('[part~="empty"]')!.textContent).to.contain(
      'No alerts pending or firing',
    );
    client.push({ type: 'alert', data: pending });
    await nextFrame();
    await el.updateComplete;
    expect(rows(el).map((r) => r.dataset.state)).to.deep.equal(['pending']);
    client.push({
      type: 'alert',
      data: { ...pending, state: 'firing', firedAt: pending.activeAt },
    });
    await nextFrame();
    await el.updateComplete;
    expect(rows(el).map((r) => r.dataset.state)).to.deep.equal(['firing']);
    client.push({ type: 'alert', data: { ...pending, state: 'resolved' } });
    await nextFrame();
    await el.updateComplete;
    expect(rows(el)).to.have.length(0);
    expect(client.watchCalls).to.equal(1);
  });

  it('shows one KPI only when asked', async () => {
    const el = await listWith(
      [alert(), pending],
      html`<alert-list kpi="efile-fast-filings"></alert-list>`,
    );
    expect(rows(el).map((r) => text(r, 'name'))).to.deep.equal(['FilingsSlowBurn']);
  });

  it('renders server text as text, never as markup', async () => {
    const el = await listWith([alert({ summary: '<img src=x onerror=alert(1)>' })]);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(text(rows(el)[0], 'summary')).to.equal('<img src=x onerror=alert(1)>');
  });

  for (const scheme of COLOR_SCHEMES) {
    it(`is accessible, ${scheme}`, async () => {
      await useColorScheme(scheme);
      const el = await listWith([
        alert(),
        pending,
        alert({ id: 'a4', severity: 'info', silencedBy: ['s1'] }),
      ]);
      await expect(el).to.be.accessible();
      await expect(await listWith([])).to.be.accessible();
    });
  }
});
