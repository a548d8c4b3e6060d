/** Browser timings of the embedded components in headless Chromium on loopback: navigation to the first light with data, and drawing a 10 000-point chart. */
import { Hono } from 'hono';
import type { Browser } from 'puppeteer-core';
import { chromiumPath, launchChromium } from '#test-support/chromium.js';
import { startDemoStack } from '#test-support/demo-stack.js';
import { listen } from '../demo/listen.js';
import type { KpiHistory, KpiReading } from '../src/sdk/types.js';
import { createEmbedRoutes } from '../src/server/api/routes/embed.js';

const RUNS = 7;
const POINTS = 10_000;
const FIRST_LIGHT_GOAL_MS = 200;
const CHART_GOAL_MS = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n: number) => `${n.toFixed(1)} ms`;

/**
 * Runs in each page before its own code: notes `performance.now()` (ms since navigation began)
 * when the first light inside any element shows a status word, looking every 2 ms. Text, not a
 * function: the TypeScript runner would wrap a function's inner names in a helper the page lacks.
 */
const WATCH_FIRST_LIGHT = `
const lightsIn = (root) => [...root.querySelectorAll('kpi-light, kpi-board')].flatMap((el) =>
  el.localName === 'kpi-board' && el.shadowRoot ? lightsIn(el.shadowRoot) : [el]);
const timer = setInterval(() => {
  if (!lightsIn(document).some((l) => l.shadowRoot?.querySelector('[part~="status"]'))) return;
  window.firstLightMs = performance.now();
  clearInterval(timer);
}, 2);
`;

/** Navigation to the first light with data, on the demo page against the real KPI server. */
async function firstLight(browser: Browser): Promise<number[]> {
  const demo = await startDemoStack({ intervalMs: 1_000 });
  try {
    // Readings exist and the bundle is built before the clock starts, as on a running server.
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${demo.kpiUrl}/api/v1/kpis`);
      const kpis = (await res.json()) as KpiReading[];
      if (kpis.some((k) => k.status !== 'unknown')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await (await fetch(`${demo.kpiUrl}/embed.js`)).arrayBuffer();
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A fresh context each time: a cold cache, the script fetched as a first visit would.
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.evaluateOnNewDocument(WATCH_FIRST_LIGHT);
      await page.goto(demo.pageUrl);
      const handle = await page.waitForFunction(
        () => (window as { firstLightMs?: number }).firstLightMs,
        { timeout: 10_000 },
      );
      times.push((await handle.jsonValue()) as number);
      await context.close();
    }
    return times;
  } finally {
    await demo.close();
  }
}

/** A one-KPI server: the real `/embed.js`, a stream with one reading, a 10 000-point history. */
function chartServer(): Hono {
  const now = Date.now();
  const step = 60_000;
  const t = Array.from({ length: POINTS }, (_, i) => now - (POINTS - i) * step);
  const v = t.map((_, i) => 0.2 + 0.15 * Math.sin(i / 50) + 0.05 * Math.sin(i / 7));
  const reading: KpiReading = {
    id: 'big',
    title: 'Filing latency',
    unit: 'seconds',
    direction: 'higher-is-worse',
    thresholds: { warning: 0.3, critical: 0.38 },
    value: v[POINTS - 1],
    status: 'ok',
    evaluatedAt: new Date(now).toISOString(),
    policyVersion: 1,
    stale: false,
    staleAfter: new Date(now + 3_600_000).toISOString(),
  };
  const statusOf = (x: number) => (x >= 0.38 ? 'critical' : x >= 0.3 ? 'warning' : 'ok');
  const history: KpiHistory = {
    id: 'big',
    from: t[0],
    to: now,
    step,
    t,
    v,
    status: v.map(statusOf),
  };
  const snapshot = JSON.stringify({ policyVersion: 1, kpis: [reading], alerts: [] });
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chart</title>
<script type="module" src="/embed.js"></script></head>
<body><latency-chart kpi="big" range="7d"></latency-chart></body></html>`;
  return new Hono()
    .route('/', createEmbedRoutes())
    .get('/', (c) => c.html(page))
    .get('/api/v1/kpis/big/history', (c) => c.json(history))
    .get('/api/v1/stream', (c) =>
      c.body(`retry: 60000\nid: 1\nevent: snapshot\ndata: ${snapshot}\n\n`, 200, {
        'content-type': 'text/event-stream',
      }),
    );
}

/**
 * Runs in the chart page: from the end of the history response to the task after the chart's
 * canvas and summary appear (uPlot draws in a microtask of that update).
 */
const WATCH_CHART = `
const done = (at) => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/history'));
  window.chartMs = entry ? at - entry.responseEnd : -1;
};
const timer = setInterval(() => {
  const root = document.querySelector('latency-chart')?.shadowRoot;
  if (!root) return;
  clearInterval(timer);
  const observer = new MutationObserver(() => {
    const summary = root.querySelector('[part~="summary"]')?.textContent ?? '';
    if (!root.querySelector('canvas') || !summary.includes('latest')) return;
    observer.disconnect();
    // The next task: after the microtasks in which uPlot commits its drawing.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now());
    channel.port2.postMessage(null);
  });
  observer.observe(root, { subtree: true, childList: true, characterData: true });
}, 1);
`;

async function chartDraw(browser: Browser): Promise<number[]> {
  const server = await listen(chartServer(), 0);
  try {
    await (await fetch(`${server.url}/embed.js`)).arrayBuffer();
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ width: 1000, height: 600 });
      await page.evaluateOnNewDocument(WATCH_CHART);
      await page.goto(`${server.url}/`);
      const handle = await page.waitForFunction(() => (window as { chartMs?: number }).chartMs, {
        timeout: 10_000,
      });
      times.push((await handle.jsonValue()) as number);
      await context.close();
    }
    return times;
  } finally {
    await server.close();
  }
}

if (chromiumPath() === undefined) {
  console.log('embed: no Chromium (set CHROME_PATH); skipped');
} else {
  const browser = await launchChromium();
  try {
    const light = await firstLight(browser);
    const chart = await chartDraw(browser);
    const verdict = (value: number, goal: number) => (value <= goal ? 'met' : 'missed');
    console.log(
      `navigation → first light with data (demo page, cold cache, ${RUNS} runs): median ` +
        `${ms(median(light))}, range ${ms(Math.min(...light))}–${ms(Math.max(...light))}; ` +
        `goal ≤ ${FIRST_LIGHT_GOAL_MS} ms — ${verdict(median(light), FIRST_LIGHT_GOAL_MS)}`,
    );
    console.log(
      `${POINTS}-point chart, history received → drawn with summary (${RUNS} runs): median ` +
        `${ms(median(chart))}, range ${ms(Math.min(...chart))}–${ms(Math.max(...chart))}; ` +
        `goal ≤ ${CHART_GOAL_MS} ms — ${verdict(median(chart), CHART_GOAL_MS)}`,
    );
  } finally {
    await browser.close();
  }
}
