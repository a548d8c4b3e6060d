/** Browser tests of `<kpi-light>`: looks per status, stream updates, staleness, accessibility. */
import { expect, fixture, html, nextFrame, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { KPI_STATUSES } from '../../sdk/types.js';
import { configure, resetConnections } from '../connection/page-connection.js';
import { COLOR_SCHEMES, resetColorScheme, useColorScheme } from '../testing/light-dark.fixture.js';
import { reading, ScriptedClient, TEST_NOW } from '../testing/scripted-client.fixture.js';
import type { KpiLight } from './kpi-light.js';
import './kpi-light.js';

let client: ScriptedClient;

/** Lets the feed read what the client pushed and the light redraw. */
async function settle(el: KpiLight): Promise<void> {
  await nextFrame();
  await el.updateComplete;
}

function part(el: KpiLight, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

async function lightWith(
  r: ReturnType<typeof reading>,
  template = html`<kpi-light kpi="efile-error-rate"></kpi-light>`,
): Promise<KpiLight> {
  const el = await fixture<KpiLight>(template);
  client.push({ type: 'snapshot', data: { policyVersion: 1, kpis: [r], alerts: [] } });
  await settle(el);
  return el;
}

beforeEach(() => {
  resetConnections();
  document.documentElement.lang = 'en-US';
  client = new ScriptedClient();
  configure({ createClient: () => client, now: () => TEST_NOW });
});

afterEach(resetColorScheme);

describe('<kpi-light>', () => {
  const looks = {
    ok: { word: 'OK', shape: 'circle' },
    warning: { word: 'Warning', shape: 'triangle' },
    critical: { word: 'Critical', shape: 'square' },
    unknown: { word: 'Unknown', shape: 'dotted-circle' },
  };

  for (const status of KPI_STATUSES) {
    it(`shows ${status} with its word, shape and colour`, async () => {
      const el = await lightWith(reading({ status }));
      expect(part(el, 'status')!.textContent).to.equal(looks[status].word);
      expect(part(el, 'light')!.dataset.shape).to.equal(looks[status].shape);
      const stroke = getComputedStyle(part(el, 'shape')!.firstElementChild!).stroke;
      const edge = getComputedStyle(el).getPropertyValue(`--_kpi-${status}-edge`).trim();
      const probe = document.createElement('div');
      probe.style.color = edge;
      document.body.append(probe);
      expect(stroke).to.equal(getComputedStyle(probe).color);
      probe.remove();
    });

    for (const scheme of COLOR_SCHEMES) {
      it(`is accessible when ${status}, ${scheme}`, async () => {
        await useColorScheme(scheme);
        const el = await lightWith(reading({ status }));
        await expect(el).to.be.accessible();
        const compact = await lightWith(
          reading({ status }),
          html`<kpi-light kpi="efile-error-rate" compact></kpi-light>`,
        );
        await expect(compact).to.be.accessible();
      });
    }
  }

  it('writes the value, thresholds, update time and runbook in the page language', async () => {
    const el = await lightWith(reading({ status: 'critical' }));
    expect(part(el, 'title')!.textContent).to.equal('E-file error rate');
    expect(part(el, 'value')!.textContent).to.equal('10.23%');
    expect(part(el, 'thresholds')!.textContent).to.equal(
      'Warning at 1%, critical at 3%; higher is worse',
    );
    const time = part(el, 'updated')!.querySelector('time')!;
    expect(time.getAttribute('datetime')).to.equal(reading().evaluatedAt);
    expect(time.textContent).to.equal('2 minutes ago');
    expect(part(el, 'runbook')!.getAttribute('href')).to.equal(
      'https://intranet.example.gov/runbooks/efile-errors',
    );

    document.documentElement.lang = 'de';
    el.requestUpdate();
    await el.updateComplete;
    expect(part(el, 'value')!.textContent).to.equal('10,23\u00a0%');
  });

  it('renders server text as text and drops non-http runbooks', async () => {
    const el = await lightWith(
      reading({ title: '<img src=x onerror=alert(1)>', runbook: 'javascript:alert(1)' }),
    );
    expect(part(el, 'title')!.textContent).to.equal('<img src=x onerror=alert(1)>');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(part(el, 'runbook')).to.equal(null);
  });

  it('shows one group of a grouped KPI', async () => {
    const grouped = reading({
      status: 'critical',
      groups: [
        { labels: { agency: 'IRS' }, value: 0.005, status: 'ok' },
        { labels: { agency: 'SSA' }, value: 0.1023, status: 'critical' },
      ],
    });
    const el = await lightWith(
      grouped,
      html`<kpi-light kpi="efile-error-rate" group="IRS"></kpi-light>`,
    );
    expect(part(el, 'title')!.textContent).to.equal('E-file error rate — IRS');
    expect(part(el, 'status')!.textContent).to.equal('OK');
    expect(part(el, 'value')!.textContent).to.equal('0.5%');
    el.group = 'agency="SSA"';
    await el.updateComplete;
    expect(part(el, 'status')!.textContent).to.equal('Critical');
  });

  it('fits a table cell when compact, still naming the KPI for screen readers', async () => {
    const el = await lightWith(
      reading({ status: 'warning' }),
      html`<kpi-light kpi="efile-error-rate" compact></kpi-light>`,
    );
    expect(part(el, 'thresholds')).to.equal(null);
    expect(part(el, 'light')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'E-file error rate: Warning 1.5%',
    );
    expect(el.getBoundingClientRect().height).to.be.below(40);
  });

  it('says why a reading is unknown, and looks unlike a fresh one', async () => {
    const fresh = await lightWith(reading({ status: 'ok' }));
    expect(getComputedStyle(part(fresh, 'light')!).borderStyle).to.equal('solid');
    const unknown = await lightWith(reading({ status: 'unknown', reason: 'stale target' }));
    expect(part(unknown, 'reason')!.textContent).to.equal('Unknown: stale target');
    expect(part(unknown, 'value')!.textContent).to.equal('—');
    expect(getComputedStyle(part(unknown, 'light')!).borderStyle).to.equal('dashed');
  });

  it('says a reading is stale when the server marks it or its time has passed', async () => {
    const marked = await lightWith(reading({ status: 'critical', stale: true }));
    expect(part(marked, 'reason')!.textContent).to.match(/^Stale: no update since /);
    expect(getComputedStyle(part(marked, 'light')!).borderStyle).to.equal('dashed');
    const expired = await lightWith(
      reading({ status: 'ok', staleAfter: new Date(TEST_NOW - 1000).toISOString() }),
    );
    expect(part(expired, 'reason')!.textContent).to.match(/^Stale: /);
    const current = await lightWith(
      reading({ status: 'ok', staleAfter: new Date(TEST_NOW + 1000).toISOString() }),
    );
    expect(part(current, 'reason')).to.equal(null);
  });

  it('follows the stream: changes, goes stale on disconnect, recovers on reconnect', async () => {
    const el = await lightWith(reading({ status: 'ok' }));
    const changed = oneEvent(el, 'kpi-status-change');
    client.push({ type: 'kpi', data: reading({ status: 'critical' }) });
    const event = await changed;
    expect(event.detail).to.include({ id: 'efile-error-rate', status: 'critical', previous: 'ok' });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(part(el, 'status')!.textContent).to.equal('Critical');

    client.push({ type: 'disconnected', since: TEST_NOW, error: new Error('network') });
    await settle(el);
    expect(part(el, 'reason')!.textContent).to.match(/^Stale: connection lost/);
    await expect(el).to.be.accessible();

    client.push({ type: 'connected' });
    await settle(el);
    expect(part(el, 'reason')).to.equal(null);
  });

  it('shares one stream among every light of a server and closes it when they leave', async () => {
    const board = await fixture<HTMLElement>(html`<div>
      <kpi-light kpi="efile-error-rate"></kpi-light>
      <kpi-light kpi="efile-latency"></kpi-light>
      <kpi-light kpi="efile-error-rate" compact></kpi-light>
    </div>`);
    expect(client.watchCalls).to.equal(1);
    board.replaceChildren();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(client.openStreams).to.equal(0);
  });

  describe('with an objective', () => {
    /** The demo's fast-filings KPI: a good ratio with a 99 % objective over 30 days. */
    const withBudget = (remaining: number | undefined, value = 0.993) =>
      reading({
        id: 'efile-fast-filings',
        title: 'E-filings answered under 2 s',
        direction: 'lower-is-worse',
        thresholds: { warning: 0.995, critical: 0.99 },
        objective: 0.99,
        value,
        status: value >= 0.995 ? 'ok' : value >= 0.99 ? 'warning' : 'critical',
        ...(remaining !== undefined && {
          budget: { objective: 0.99, window: '30d', remaining, burned: 1 - remaining },
        }),
      });
    const states = [
      { remaining: 0.62, word: 'Healthy', shape: 'circle', text: 'budget: 62% left of 30 days' },
      { remaining: 0.12, word: 'Low', shape: 'triangle', text: 'budget: 12% left of 30 days' },
      { remaining: 0, word: 'Spent', shape: 'square', text: 'budget: 0% left of 30 days' },
      {
        remaining: -0.2,
        word: 'Spent',
        shape: 'square',
        text: 'budget: overspent by 20% in 30 days',
      },
      {
        remaining: undefined,
        word: 'No data yet',
        shape: 'dotted-circle',
        text: 'budget: not counted yet',
      },
    ];

    for (const state of states) {
      for (const scheme of COLOR_SCHEMES) {
        it(`says the objective, where it stands and the budget when ${state.word} (${state.remaining}), ${scheme}`, async () => {
          // The scheme first: a light switched later fades its background for a moment.
          await useColorScheme(scheme);
          const el = await lightWith(
            withBudget(state.remaining),
            html`<kpi-light kpi="efile-fast-filings"></kpi-light>`,
          );
          expect(part(el, 'objective')!.textContent).to.equal('Objective 99%, now 99.3%');
          const budget = part(el, 'budget')!;
          expect(budget.dataset.budget).to.equal(state.word);
          expect(budget.querySelector('.word')!.textContent).to.equal(state.word);
          expect(budget.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
            `${state.word} — ${state.text}`,
          );
          const shape = el.shadowRoot!.querySelector('[part~="budget-shape"]')!;
          const element = {
            circle: 'circle',
            triangle: 'polygon',
            square: 'rect',
            'dotted-circle': 'circle',
          };
          expect(shape.firstElementChild!.localName).to.equal(
            element[state.shape as keyof typeof element],
          );
          await expect(el).to.be.accessible();
        });
      }
    }

    it('draws the budget in its own look, not the light’s', async () => {
      // A critical light whose budget is still healthy: the budget's shape is green, not red.
      const el = await lightWith(
        withBudget(0.8, 0.98),
        html`<kpi-light kpi="efile-fast-filings"></kpi-light>`,
      );
      expect(part(el, 'status')!.textContent).to.equal('Critical');
      const stroke = (name: string) =>
        getComputedStyle(el.shadowRoot!.querySelector(`[part~="${name}"]`)!.firstElementChild!)
          .stroke;
      expect(stroke('budget-shape')).to.not.equal(stroke('shape'));
      const edge = getComputedStyle(el).getPropertyValue('--_kpi-ok-edge').trim();
      const probe = document.createElement('div');
      probe.style.color = edge;
      document.body.append(probe);
      expect(stroke('budget-shape')).to.equal(getComputedStyle(probe).color);
      probe.remove();
    });

    it('says an error rate’s objective as the share that went well', async () => {
      const el = await lightWith(
        reading({
          status: 'ok',
          value: 0.002,
          objective: 0.99,
          budget: { objective: 0.99, window: '7d', remaining: 0.8 },
        }),
      );
      expect(part(el, 'objective')!.textContent).to.equal('Objective 99%, now 99.8%');
      expect(part(el, 'budget')!.textContent).to.include('budget: 80% left of 7 days');
    });

    it('says a latency’s objective as time not critical, and leaves the budget out of a group’s light', async () => {
      const latency = reading({
        id: 'efile-latency',
        unit: 'seconds',
        value: 0.4,
        objective: 0.95,
        groups: [{ labels: { agency: 'IRS' }, value: 0.4, status: 'ok' }],
        budget: { objective: 0.95, window: '30d', remaining: 0.5 },
      });
      const el = await lightWith(latency, html`<kpi-light kpi="efile-latency"></kpi-light>`);
      expect(part(el, 'objective')!.textContent).to.equal(
        'Objective: not critical 95% of the time',
      );
      const group = await lightWith(
        latency,
        html`<kpi-light kpi="efile-latency" group="IRS"></kpi-light>`,
      );
      expect(part(group, 'budget')).to.equal(null);
    });

    it('shows no budget for a KPI without an objective', async () => {
      const el = await lightWith(reading({ status: 'ok' }));
      expect(part(el, 'objective')).to.equal(null);
      expect(part(el, 'budget')).to.equal(null);
    });
  });

  describe('warnings', () => {
    const silentGreen = reading({
      status: 'ok',
      value: 0,
      warnings: [
        'http_requests_total{status="500"} can never match: status has 2xx, 4xx, 5xx; "500" matches none',
      ],
    });

    it('says in words that an OK light may read nothing', async () => {
      const el = await lightWith(silentGreen);
      expect(part(el, 'status')!.textContent).to.equal('OK');
      const warnings = part(el, 'warnings')!;
      expect(warnings.querySelector('.warnings-count')!.textContent).to.equal('1 warning:');
      expect([...warnings.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(
        silentGreen.warnings,
      );
      const calm = await lightWith(reading({ status: 'ok' }));
      expect(part(calm, 'warnings')).to.equal(null);
    });

    it('counts them on the compact line and reads them to screen readers', async () => {
      const el = await lightWith(
        reading({ ...silentGreen, warnings: ['a selector matches nothing', 'a target is down'] }),
        html`<kpi-light kpi="efile-error-rate" compact></kpi-light>`,
      );
      expect(part(el, 'light')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
        'E-file error rate: OK 0% 2 warnings: a selector matches nothing; a target is down',
      );
      expect(el.getBoundingClientRect().height).to.be.below(40);
    });

    for (const scheme of COLOR_SCHEMES) {
      it(`is accessible with warnings, ${scheme}`, async () => {
        await useColorScheme(scheme);
        await expect(await lightWith(silentGreen)).to.be.accessible();
        await expect(
          await lightWith(
            silentGreen,
            html`<kpi-light kpi="efile-error-rate" compact></kpi-light>`,
          ),
        ).to.be.accessible();
      });
    }
  });

  it('lets the keyboard reach the runbook link', async () => {
    const el = await lightWith(reading({ status: 'critical' }));
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'runbook'));
    before.remove();
  });
});
