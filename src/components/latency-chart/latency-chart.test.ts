/** Browser tests of `<latency-chart>`: it draws the server's data, says it in words and in a table. */
import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { KpiHistory, KpiStatus } from '../../sdk/types.js';
import { configure, resetConnections } from '../connection/page-connection.js';
import { COLOR_SCHEMES, resetColorScheme, useColorScheme } from '../testing/light-dark.fixture.js';
import { reading, ScriptedClient, TEST_NOW } from '../testing/scripted-client.fixture.js';
import type { LatencyChart } from './latency-chart.js';
import './latency-chart.js';

let client: ScriptedClient;

const latency = (overrides: Parameters<typeof reading>[0] = {}) =>
  reading({
    id: 'efile-latency',
    title: 'E-file latency',
    unit: 'seconds',
    thresholds: { warning: 1, critical: 2 },
    value: 0.4,
    runbook: undefined,
    evaluatedAt: new Date(TEST_NOW - 60_000).toISOString(),
    ...overrides,
  });

/** Four one-minute buckets, the last one in the past: OK, warning, critical, a gap. */
function history(group?: string, scale = 1): KpiHistory {
  const t = [0, 1, 2, 3].map((i) => TEST_NOW - 300_000 + i * 60_000);
  const v = [0.5, 1.5, 2.5, null].map((x) => (x === null ? null : x * scale));
  const status: KpiStatus[] = ['ok', 'warning', 'critical', 'unknown'];
  return {
    id: 'efile-latency',
    ...(group !== undefined && { group }),
    from: t[0],
    to: TEST_NOW,
    step: 60_000,
    t,
    v,
    status,
  };
}

function part(el: LatencyChart, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

async function chartWith(
  r: ReturnType<typeof latency>,
  template = html`<latency-chart kpi="efile-latency" range="1h"></latency-chart>`,
) {
  const el = await fixture<LatencyChart>(template);
  client.push({ type: 'snapshot', data: { policyVersion: 1, kpis: [r], alerts: [] } });
  await waitUntil(() => el.shadowRoot!.querySelector('canvas') !== null, 'chart drawn');
  await el.updateComplete;
  return el;
}

beforeEach(() => {
  resetConnections();
  document.documentElement.lang = 'en-US';
  client = new ScriptedClient();
  client.histories.set('efile-latency', history());
  configure({ createClient: () => client, now: () => TEST_NOW });
});

afterEach(resetColorScheme);

describe('<latency-chart>', () => {
  it('asks for the range it was given and draws the server’s columns as they are', async () => {
    const el = await chartWith(latency());
    expect(client.historyCalls[0].options).to.include({ from: TEST_NOW - 3_600_000, to: TEST_NOW });
    expect(part(el, 'title')!.textContent).to.equal('E-file latency, last 60 minutes');
    expect(part(el, 'plot')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('says its data in words: latest value, range and time in each band', async () => {
    const el = await chartWith(latency());
    expect(part(el, 'summary')!.textContent).to.equal(
      'E-file latency: latest 0.4 sec (OK); from 0.4 sec to 2.5 sec; time in each band: ' +
        'OK 2 minutes, Warning 1 minute, Critical 1 minute, Unknown 1 minute.',
    );
  });

  it('opens a data table that matches the data, from the keyboard', async () => {
    const el = await chartWith(latency());
    const button = part(el, 'table-button') as HTMLButtonElement;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const rows = [...part(el, 'table')!.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
    );
    expect(rows).to.deep.equal([
      ['0.5 sec (OK)'],
      ['1.5 sec (Warning)'],
      ['2.5 sec (Critical)'],
      ['— (Unknown)'],
      ['0.4 sec (OK)'],
    ]);
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.id).to.equal('table');
    await expect(el).to.be.accessible();
  });

  it('draws its points once, again only when the data or the width changes', async () => {
    // Every draw strokes the plot's lines, axes and grid.
    const stroke = CanvasRenderingContext2D.prototype.stroke;
    let strokes = 0;
    CanvasRenderingContext2D.prototype.stroke = function (
      this: CanvasRenderingContext2D,
      ...args: [Path2D?]
    ) {
      strokes++;
      Reflect.apply(stroke, this, args);
    };
    try {
      const el = await chartWith(latency());
      await waitUntil(() => strokes > 0, 'the plot is drawn');
      // The resize observer's first call, at the width the plot was made at, is not a resize.
      await nextFrame();
      await nextFrame();
      const once = strokes;
      (part(el, 'table-button') as HTMLButtonElement).click();
      await el.updateComplete;
      await nextFrame();
      expect(strokes).to.equal(once);
      el.style.width = '300px';
      await waitUntil(() => strokes > once, 'a narrower chart is drawn again');
      expect(el.shadowRoot!.querySelector('canvas')!.getBoundingClientRect().width).to.be.at.most(
        300,
      );
    } finally {
      CanvasRenderingContext2D.prototype.stroke = stroke;
    }
  });

  it('extends live as readings arrive', async () => {
    const el = await chartWith(latency());
    client.push({
      type: 'kpi',
      data: latency({
        value: 2.2,
        status: 'critical',
        evaluatedAt: new Date(TEST_NOW).toISOString(),
      }),
    });
    await waitUntil(() => part(el, 'summary')!.textContent!.includes('latest 2.2 sec (Critical)'));
    client.push({ type: 'kpi', data: latency({ value: 9 }) });
    await nextFrame();
    await el.updateComplete;
    expect(part(el, 'summary')!.textContent).to.include('latest 2.2 sec');
  });

  it('draws one line per group of a grouped KPI', async () => {
    client.histories.set('efile-latency agency="IRS"', history('agency="IRS"'));
    client.histories.set('efile-latency agency="SSA"', history('agency="SSA"', 0.5));
    const el = await chartWith(
      latency({
        groups: [
          { labels: { agency: 'IRS' }, value: 0.4, status: 'ok' },
          { labels: { agency: 'SSA' }, value: 0.2, status: 'ok' },
        ],
      }),
    );
    expect(client.historyCalls.map((c) => c.options?.group)).to.deep.equal([
      'agency="IRS"',
      'agency="SSA"',
    ]);
    const summary = part(el, 'summary')!.textContent!;
    expect(summary).to.include('IRS: latest 0.4 sec (OK); from 0.4 sec to 2.5 sec');
    expect(summary).to.include('SSA: latest 0.2 sec (OK); from 0.2 sec to 1.25 sec');
  });

  describe('show="budget"', () => {
    const DAY = 86_400_000;
    const fast = (remaining: number | undefined) =>
      reading({
        id: 'efile-fast-filings',
        title: 'E-filings answered under 2 s',
        direction: 'lower-is-worse',
        thresholds: { warning: 0.995, critical: 0.99 },
        objective: 0.99,
        value: 0.993,
        status: 'warning',
        evaluatedAt: new Date(TEST_NOW - 60_000).toISOString(),
        ...(remaining !== undefined && {
          budget: { objective: 0.99, window: '30d', remaining },
        }),
      });

    beforeEach(() => {
      // Four days of the window: healthy, then low, then spent.
      const t = [4, 3, 2, 1].map((d) => TEST_NOW - d * DAY);
      client.budgets.set('efile-fast-filings', {
        id: 'efile-fast-filings',
        objective: 0.99,
        window: '30d',
        from: TEST_NOW - 30 * DAY,
        to: TEST_NOW,
        step: DAY,
        t,
        remaining: [1, 0.6, 0.2, -0.1],
      });
    });

    const budgetChart = (r = fast(-0.1)) =>
      chartWith(r, html`<latency-chart kpi="efile-fast-filings" show="budget"></latency-chart>`);

    it('draws the budget’s burn-down over its window, and says it in words', async () => {
      const el = await budgetChart();
      expect(client.budgetCalls).to.deep.equal(['efile-fast-filings']);
      expect(client.historyCalls).to.deep.equal([]);
      expect(part(el, 'title')!.textContent).to.equal(
        'E-filings answered under 2 s: error budget, last 30 days',
      );
      expect(part(el, 'summary')!.textContent).to.equal(
        // The last point is the reading's, a minute ago: the time up to it is counted.
        'Error budget: -10% left now (Spent); 100% at the first point, lowest -10%; ' +
          'time in each state: Healthy 48 hours, Low 24 hours, Spent 24 hours.',
      );
    });

    it('opens a table of the budget left, each point with its state in words', async () => {
      const el = await budgetChart();
      (part(el, 'table-button') as HTMLButtonElement).click();
      await el.updateComplete;
      const cells = [...part(el, 'table')!.querySelectorAll('tbody td')].map((td) =>
        td.textContent!.trim(),
      );
      // The last row is the reading's budget, a minute ago.
      expect(cells).to.deep.equal([
        '100% (Healthy)',
        '60% (Healthy)',
        '20% (Low)',
        '-10% (Spent)',
        '-10% (Spent)',
      ]);
      expect(part(el, 'table')!.querySelector('th[scope="col"]:last-child')!.textContent).to.equal(
        'Budget left',
      );
    });

    it('extends live with each reading’s budget', async () => {
      const el = await budgetChart();
      client.push({
        type: 'kpi',
        data: { ...fast(-0.15), evaluatedAt: new Date(TEST_NOW).toISOString() },
      });
      await waitUntil(() => part(el, 'summary')!.textContent!.includes('-15% left now'));
    });

    it('says a KPI without an objective has no budget to draw', async () => {
      const el = await fixture<LatencyChart>(
        html`<latency-chart kpi="efile-latency" show="budget"></latency-chart>`,
      );
      client.push({ type: 'snapshot', data: { policyVersion: 1, kpis: [latency()], alerts: [] } });
      await waitUntil(() => part(el, 'summary')!.textContent!.startsWith('Chart unavailable'));
      expect(part(el, 'summary')!.textContent).to.equal(
        'Chart unavailable: E-file latency has no objective, so no error budget',
      );
      expect(client.budgetCalls).to.deep.equal([]);
    });

    it('says so for a view it does not know', async () => {
      const el = await fixture<LatencyChart>(
        html`<latency-chart kpi="efile-latency" show="forecast"></latency-chart>`,
      );
      client.push({ type: 'snapshot', data: { policyVersion: 1, kpis: [latency()], alerts: [] } });
      await nextFrame();
      await el.updateComplete;
      expect(part(el, 'summary')!.textContent).to.equal(
        'Chart unavailable: show="forecast" is not known; use show="value" or show="budget"',
      );
    });

    for (const scheme of COLOR_SCHEMES) {
      it(`is accessible, table open, ${scheme}`, async () => {
        await useColorScheme(scheme);
        const el = await budgetChart();
        (part(el, 'table-button') as HTMLButtonElement).click();
        await el.updateComplete;
        await expect(el).to.be.accessible();
      });
    }
  });

  for (const scheme of COLOR_SCHEMES) {
    it(`is accessible, ${scheme}`, async () => {
      await useColorScheme(scheme);
      const el = await chartWith(latency({ status: 'critical', value: 2.5 }));
      await expect(el).to.be.accessible();
    });
  }
});
