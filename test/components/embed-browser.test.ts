/** The built bundle from the real KPI server in Chromium and Firefox ESR, on a host page with the strict CSP and Trusted Types: production Lit, the chart's part fetched only where a chart is and once, budget words and order, axe clean light and dark. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Context, Hono } from 'hono';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from '#test-support/chromium.js';
import { firefoxPath, launchFirefox } from '#test-support/firefox.js';
import { createKpiAppFixture, type KpiAppFixture } from '#test-support/kpi-app-fixture.js';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { createEmbedRoutes } from '../../src/server/api/routes/embed.js';
import { embedBundleFromSource } from '../../src/server/api/routes/embed-bundle.js';

type Scheme = 'light' | 'dark';

const HOUR = 3_600_000;

/** The hostile page stylesheet the components' own browser tests use. */
const HOSTILE_CSS = readFileSync(
  new URL('../../src/components/testing/hostile.css', import.meta.url),
  'utf8',
);

/** Three KPIs with a 99 % objective whose budgets stand healthy, low and spent, and one without. */
function policy(pageOrigin: string): string {
  const fast = (id: string, title: string) => `  - id: ${id}
    title: ${title}
    query: ${id.replaceAll('-', '_')}
    unit: percent
    direction: lower-is-worse
    thresholds: { warning: 0.995, critical: 0.99 }
    objective: 0.99
`;
  return `scrape: { interval: 15s, timeout: 5s }
targets:
  - url: http://127.0.0.1:9/metrics
    labels: { service: efile }
kpis:
${fast('fast-healthy', 'Filings under 2 s')}${fast('fast-low', 'Refunds under 2 s')}${fast('fast-spent', 'Payments under 2 s')}  - id: latency
    title: E-file latency
    query: latency
    unit: seconds
    thresholds: { warning: 1, critical: 2 }
cors:
  origins: [${pageOrigin}]
evaluation: { interval: 1h }
`;
}

/** What each KPI reads: good shares giving 50 %, 20 % and −100 % of the budget left. */
const VALUES: Readonly<Record<string, number>> = {
  fast_healthy: 0.995,
  fast_low: 0.992,
  fast_spent: 0.98,
  latency: 0.4,
};

/** The host page's own origin, with the CSP the README gives, naming the KPI server. */
function hostPage(kpiUrl: string): Hono {
  const csp = [
    "default-src 'none'",
    `script-src ${kpiUrl}`,
    `connect-src ${kpiUrl}`,
    "style-src 'self'",
    "img-src 'self'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
  const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Agency page</title><script type="module" src="${kpiUrl}/embed.js"></script></head>
<body><main><h1>Service health</h1>${body}</main></body></html>`;
  const lights = `<kpi-board sort="budget"></kpi-board>
<kpi-light kpi="fast-healthy"></kpi-light><alert-list></alert-list>`;
  const send = (html: string) => (c: Context) => {
    c.header('content-security-policy', csp);
    return c.html(html);
  };
  return new Hono()
    .get('/hostile.css', (c) => c.body(HOSTILE_CSS, 200, { 'content-type': 'text/css' }))
    .get(
      '/hostile',
      send(
        page(
          `<p id="host-text">Host text</p>${lights}<latency-chart kpi="latency"></latency-chart>`,
        ).replace('</head>', '<link rel="stylesheet" href="/hostile.css"></head>'),
      ),
    )
    .get('/lights', send(page(lights)))
    .get(
      '/charts',
      send(
        page(`${lights}<latency-chart kpi="fast-low" show="budget"></latency-chart>
<latency-chart kpi="latency" range="6h"></latency-chart>`),
      ),
    );
}

/** Runs in each page before its own script: the CSP violations and errors it meets. */
const WATCH = `
window.embedWatch = { violations: [], errors: [] };
document.addEventListener('securitypolicyviolation', (e) => {
  window.embedWatch.violations.push(e.violatedDirective + ': ' + (e.blockedURI || e.sample));
});
window.addEventListener('error', (e) => window.embedWatch.errors.push(String(e.message)));
`;

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Text of a part inside an element that may sit in a board's shadow root. */
function partText(
  page: Page,
  selector: string,
  part: string,
  inBoard = false,
): Promise<string | null> {
  return page.evaluate(
    (selector, part, inBoard) => {
      const root = inBoard ? document.querySelector('kpi-board')?.shadowRoot : document;
      const el = root?.querySelector(selector);
      const text = el?.shadowRoot?.querySelector(`[part~="${part}"]`)?.textContent;
      return text === undefined || text === null ? null : text.replace(/\s+/g, ' ').trim();
    },
    selector,
    part,
    inBoard,
  );
}

let fixture: KpiAppFixture;
let kpi: LocalServer;
let host: LocalServer;
/** Paths the KPI server was asked for, in order, since the last reset. */
const asked: string[] = [];

beforeAll(async () => {
  // The host page needs the KPI server's URL and the KPI server the page's origin: a late binding.
  let kpiUrl = '';
  host = await serveLocal({ fetch: (req: Request) => hostPage(kpiUrl).fetch(req) });
  fixture = createKpiAppFixture({ policy: policy(host.url) });
  for (const [expr, value] of Object.entries(VALUES)) fixture.source.values.set(expr, value);
  // A few hours of rounds, so the budget's burn-down has points.
  const now = Date.now();
  for (let t = now - 4 * HOUR; t <= now; t += HOUR / 2) await fixture.evaluator.evaluate(t);
  // The bundle as the sources make it now, whatever an earlier `npm run build` left in dist/;
  // the rest is the KPI server's own app.
  const app = new Hono()
    .route('/', createEmbedRoutes({ bundle: embedBundleFromSource() }))
    .route('/', fixture.server.app);
  kpi = await serveLocal({
    fetch: (req: Request) => {
      asked.push(new URL(req.url).pathname);
      return app.fetch(req);
    },
  });
  kpiUrl = kpi.url;
  // Built before any browser waits on it.
  expect((await fetch(`${kpi.url}/embed.js`)).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await kpi?.close();
  await host?.close();
  await fixture?.close();
});

/** One browser as a test uses it: launched once per scheme it is asked for. */
interface BrowserSetup {
  readonly name: string;
  readonly available: boolean;
  readonly launch: (scheme: Scheme) => Promise<Browser>;
  /** Whether one browser can show both schemes (by emulation) or needs one launch each. */
  readonly emulatesScheme: boolean;
}

const SETUPS: readonly BrowserSetup[] = [
  {
    name: 'Chromium',
    available: chromiumPath() !== undefined,
    launch: () => launchChromium(),
    emulatesScheme: true,
  },
  {
    name: 'Firefox ESR',
    available: firefoxPath() !== undefined,
    launch: (scheme) => launchFirefox({ scheme }),
    emulatesScheme: false,
  },
];
for (const setup of SETUPS) {
  if (!setup.available) console.warn(`embed-browser: no ${setup.name}; its tests are skipped`);
}

describe.each(SETUPS.filter((s) => s.available))('the built bundle in $name', (setup) => {
  const browsers = new Map<Scheme | 'any', Promise<Browser>>();
  const browserFor = (scheme: Scheme) => {
    const key = setup.emulatesScheme ? 'any' : scheme;
    let browser = browsers.get(key);
    if (browser === undefined) browsers.set(key, (browser = setup.launch(scheme)));
    return browser;
  };
  const consoleLines: string[] = [];

  afterAll(async () => {
    await Promise.all([...browsers.values()].map(async (b) => (await b).close()));
  });

  /** A fresh context (no cache, as a first visit), the page watched from its first moment. */
  async function open(path: string, scheme: Scheme = 'light'): Promise<Page> {
    const browser = await browserFor(scheme);
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    if (setup.emulatesScheme) {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    }
    await page.evaluateOnNewDocument(WATCH);
    page.on('console', (message) => consoleLines.push(message.text()));
    asked.length = 0;
    await page.goto(`${host.url}${path}`);
    // The board's four lights with their words: the stream came through the page's client.
    await page.waitForFunction(
      () => {
        const lights = document
          .querySelector('kpi-board')
          ?.shadowRoot?.querySelectorAll('kpi-light');
        return (
          lights?.length === 4 &&
          [...lights].every((l) => l.shadowRoot?.querySelector('[part~="status"]'))
        );
      },
      { timeout: 10_000 },
    );
    return page;
  }

  async function close(page: Page): Promise<void> {
    const watch = await page.evaluate(
      () =>
        (window as unknown as { embedWatch: { violations: string[]; errors: string[] } })
          .embedWatch,
    );
    expect(watch).toEqual({ violations: [], errors: [] });
    await page.browserContext().close();
  }

  /** The result of axe-core as the test reads it. */
  interface AxeResult {
    violations: { id: string; nodes: { target: unknown[] }[] }[];
    passes: { id: string; nodes: { target: unknown[] }[] }[];
  }

  /**
   * axe-core over the whole page, shadow roots included: the violations by rule and target.
   * Also checks that it reached into the shadow roots (a target inside one is an array).
   */
  async function axeViolations(page: Page): Promise<string[]> {
    // Evaluated through the driver, which the page's CSP does not govern.
    await page.evaluate(AXE);
    const result = await page.evaluate(async () => {
      const { axe } = window as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<AxeResult> };
      };
      const run = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'] });
      const brief = (rules: AxeResult['violations']) =>
        rules.map((r) => ({ id: r.id, nodes: r.nodes.map((n) => ({ target: n.target })) }));
      return { violations: brief(run.violations), passes: brief(run.passes) };
    });
    const contrast = result.passes.find((p) => p.id === 'color-contrast');
    expect(contrast?.nodes.some((n) => Array.isArray(n.target[0]))).toBe(true);
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`),
    );
  }

  it('loads a page of lights as one file: no chart part, no request code, production Lit', async () => {
    const page = await open('/lights');
    expect(asked).toContain('/embed.js');
    expect(asked).toContain('/api/v1/stream');
    expect(asked.filter((p) => p.startsWith('/embed/'))).toEqual([]);
    expect(await page.evaluate(() => customElements.get('latency-chart'))).toBeUndefined();
    expect(consoleLines.filter((l) => /dev mode/i.test(l))).toEqual([]);
    await close(page);
  }, 30_000);

  it('says each budget in words and a shape, and lists the worst budget first', async () => {
    const page = await open('/lights');
    const order = await page.evaluate(() =>
      [
        ...(document.querySelector('kpi-board')?.shadowRoot?.querySelectorAll('kpi-light') ?? []),
      ].map((l) => l.getAttribute('kpi')),
    );
    expect(order).toEqual(['fast-spent', 'fast-low', 'fast-healthy', 'latency']);
    expect(await partText(page, 'kpi-light[kpi="fast-healthy"]', 'objective')).toBe(
      'Objective 99%, now 99.5%',
    );
    const words = {
      'fast-healthy': 'Healthy — budget: 50% left of 30 days',
      'fast-low': 'Low — budget: 20% left of 30 days',
      'fast-spent': 'Spent — budget: overspent by 100% in 30 days',
    };
    for (const [id, text] of Object.entries(words)) {
      expect(await partText(page, `kpi-light[kpi="${id}"]`, 'budget', true)).toBe(text);
    }
    expect(await partText(page, 'kpi-light[kpi="latency"]', 'budget', true)).toBeNull();
    await close(page);
  }, 30_000);

  it('fetches the chart part once, when charts are added to a page later', async () => {
    const page = await open('/lights');
    expect(asked.filter((p) => p.startsWith('/embed/'))).toEqual([]);
    await page.evaluate(() => {
      for (const [kpi, show] of [
        ['fast-low', 'budget'],
        ['latency', 'value'],
      ]) {
        const chart = document.createElement('latency-chart');
        chart.setAttribute('kpi', kpi);
        chart.setAttribute('show', show);
        document.querySelector('main')?.append(chart);
      }
    });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('latency-chart')].every((c) =>
          c.shadowRoot?.querySelector('canvas'),
        ),
      { timeout: 10_000 },
    );
    const parts = asked.filter((p) => p.startsWith('/embed/'));
    expect(parts.filter((p) => /^\/embed\/latency-chart-[\w-]+\.js$/.test(p))).toHaveLength(1);
    expect(parts.filter((p) => /^\/embed\/create-client-[\w-]+\.js$/.test(p))).toHaveLength(1);
    expect(parts).toHaveLength(2);
    expect(await partText(page, 'latency-chart[show="budget"]', 'summary')).toMatch(
      /^Error budget: 20% left now \(Low\)/,
    );
    await close(page);
  }, 30_000);

  it('keeps to itself under hostile page CSS: readable inside, nothing leaked out, no style attributes', async () => {
    const page = await open('/hostile');
    await page.waitForFunction(
      () => document.querySelector('latency-chart')?.shadowRoot?.querySelector('canvas'),
      {
        timeout: 10_000,
      },
    );
    const seen = await page.evaluate(() => {
      const light = document.querySelector('kpi-light')!;
      const word = light.shadowRoot!.querySelector<HTMLElement>('[part~="status"]')!;
      const style = getComputedStyle(word);
      const hosts = [
        light,
        document.querySelector('kpi-board')!,
        document.querySelector('latency-chart')!,
      ];
      return {
        word: {
          display: style.display,
          font: style.fontFamily,
          width: word.getBoundingClientRect().width,
        },
        // The host's own paragraph keeps the host's (hostile) font: nothing leaked out.
        hostFont: getComputedStyle(document.getElementById('host-text')!).fontFamily,
        // A strict style-src blocks style attributes; only uPlot's canvas sizing may have one.
        styled: hosts.flatMap((h) =>
          [...h.shadowRoot!.querySelectorAll('*')]
            .filter((n) => n.hasAttribute('style') && n.closest('.uplot') === null)
            .map((n) => n.localName),
        ),
      };
    });
    expect(seen.word.display).not.toBe('none');
    expect(seen.word.font).not.toBe('serif');
    expect(seen.word.width).toBeGreaterThan(0);
    expect(seen.hostFont).toBe('serif');
    expect(seen.styled).toEqual([]);
    await close(page);
  }, 30_000);

  for (const scheme of ['light', 'dark'] as const) {
    it(`is axe clean with lights, budgets and charts, tables open, ${scheme}`, async () => {
      const page = await open('/charts', scheme);
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
        scheme === 'dark',
      );
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('latency-chart')].every((c) =>
            c.shadowRoot?.querySelector('canvas'),
          ),
        { timeout: 10_000 },
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.evaluate(() => {
        for (const chart of document.querySelectorAll('latency-chart')) {
          chart.shadowRoot?.querySelector<HTMLButtonElement>('[part~="table-button"]')?.click();
        }
      });
      await page.waitForFunction(() =>
        [...document.querySelectorAll('latency-chart')].every((c) =>
          c.shadowRoot?.querySelector('table'),
        ),
      );
      expect(await axeViolations(page)).toEqual([]);
      await close(page);
    }, 30_000);
  }
});
