/** Hostile API queries cannot starve the monitoring: a real server scraping 100 targets a second while 21 queries built to run for hours arrive at once. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { waitFor } from '#test-support/wait-for.js';

const TARGETS = 100;
/** The query timeout the server runs with: the storm lasts about this long. */
const TIMEOUT_S = 6;
const HOSTILE = 'sum_over_time(sum_over_time(vector(1)[30m:1ms])[6h:1s])';
/** The probe's query and 20 like it: nested subqueries of a billion steps and more. */
const STORM = [
  HOSTILE,
  ...Array.from({ length: 20 }, (_, i) =>
    i % 2 === 0
      ? `sum_over_time(sum_over_time(vector(${i + 2})[30m:1ms])[6h:1s])`
      : `count_over_time(max_over_time(up{service="svc-${i}"}[${20 + i}m:1ms])[6h:1s])`,
  ),
];

/** Sums of one metric's samples on `/metrics`, by the `le` bucket (or '' for no bucket). */
function metricSums(text: string, name: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^(\S+?)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const le = /le="([^"]*)"/.exec(m[2] ?? '')?.[1] ?? '';
    sums.set(le, (sums.get(le) ?? 0) + Number(m[3]));
  }
  return sums;
}

async function serverMetrics(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const lateness = metricSums(text, 'kpi_lights_scrape_lateness_seconds_bucket');
  return {
    scrapes: metricSums(text, 'kpi_lights_scrape_lateness_seconds_count').get('') ?? 0,
    withinInterval: lateness.get('1') ?? 0,
    missed: metricSums(text, 'kpi_lights_scrape_slots_missed_total').get('') ?? 0,
    rounds: metricSums(text, 'kpi_lights_evaluation_rounds_total').get('') ?? 0,
    lastRoundS: metricSums(text, 'kpi_lights_evaluation_last_duration_seconds').get('') ?? 0,
  };
}

async function instant(url: string, query: string, time: number) {
  const params = new URLSearchParams({ query, time: String(time) });
  const body = (await (await fetch(`${url}/api/v1/query?${params}`)).json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value?: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`${query}: ${JSON.stringify(body)}`);
  return body.data.result;
}

/** The policy: 100 targets on one exporter, and two KPIs, all every second. */
function writePolicy(dir: string, exporterUrl: string): string {
  const targets = Array.from(
    { length: TARGETS },
    (_, i) => `  - url: ${exporterUrl}/t/${i}/metrics\n    labels: { service: svc-${i} }`,
  ).join('\n');
  const config = join(dir, 'kpi-lights.yaml');
  writeFileSync(
    config,
    `scrape: { interval: 1s, timeout: 1s }
targets:
${targets}
kpis:
  - id: request-rate
    title: Requests a second
    query: sum(rate(requests_total[30s]))
    unit: count
    thresholds: { warning: 1e9, critical: 2e9 }
  - id: targets-up
    title: Targets up
    query: sum(up)
    unit: count
    direction: lower-is-worse
    thresholds: { warning: 99, critical: 50 }
evaluation: { interval: 1s }
`,
  );
  return config;
}

/** Sends the storm at once and samples the KPI round's duration until every query answered. */
async function storm(url: string) {
  const start = Date.now();
  const answers = STORM.map(async (query) => {
    const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      at: Date.now(),
    };
  });
  let longestRoundS = 0;
  let storming = true;
  const sampling = (async () => {
    while (storming) {
      longestRoundS = Math.max(longestRoundS, (await serverMetrics(url)).lastRoundS);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const settled = await Promise.all(answers);
  storming = false;
  await sampling;
  return { settled, longestRoundS, start, end: Date.now() };
}

/** Every KPI round of `from`…`to` (s) read values: the round's lane answered through the storm. */
async function expectKpiHistory(url: string, from: number, to: number) {
  const history = (await (
    await fetch(`${url}/api/v1/kpis/targets-up/history?from=${from}&to=${to}&step=1s`)
  ).json()) as { t: number[]; v: (number | null)[]; status: string[] };
  expect(history.t.length).toBeGreaterThanOrEqual(to - from);
  expect(history.v.every((v) => v === TARGETS)).toBe(true);
  expect(history.status.every((s) => s === 'ok')).toBe(true);
}

/** The server under test, started on the exporter's 100 targets; its URL once scraped a while. */
async function startServer(dir: string, exporterUrl: string, onChild: (kill: () => void) => void) {
  const config = writePolicy(dir, exporterUrl);
  const { child } = runCli(
    [
      'serve',
      ...['--config', config, '--port', '0', '--data-dir', join(dir, 'data')],
      ...['--query.timeout', `${TIMEOUT_S}s`],
    ],
    {},
    'node',
  );
  onChild(() => child.kill('SIGKILL'));
  const url = await servedUrl(child, 30_000);
  const depth = async () =>
    Number((await instant(url, 'min(count_over_time(up[1m]))', Date.now() / 1000))[0]?.value?.[1]);
  await waitFor(async () => (await depth()) >= 3, { timeoutMs: 30_000, everyMs: 250 });
  return url;
}

describe('hostile queries against a server scraping 100 targets every second', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-hostile-'));
  const born = Date.now();
  let exporter: LocalServer;
  let stop: () => void = () => {};

  beforeAll(async () => {
    exporter = await serveLocal(
      new Hono().get('/t/:i/metrics', (c) => {
        const i = Number(c.req.param('i'));
        const count = Math.floor((Date.now() - born) / 10) * (1 + (i % 3));
        return c.text(
          `# TYPE requests_total counter\nrequests_total{route="/file"} ${count}\nrequests_total{route="/status"} ${i}\n`,
        );
      }),
    );
  });

  afterAll(async () => {
    stop();
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every scrape slot and KPI round while the API answers timeout or finishes', async () => {
    const url = await startServer(dir, exporter.url, (kill) => (stop = kill));
    const before = await serverMetrics(url);
    const { settled, longestRoundS, start, end } = await storm(url);
    const after = await serverMetrics(url);

    // Every API query answered: 503 timeout, or its result; none outlived its timeout by much.
    for (const a of settled) {
      if (a.status === 200) continue;
      expect([a.status, a.body.errorType]).toEqual([503, 'timeout']);
    }
    const answeredIn = Math.max(...settled.map((a) => a.at)) - start;
    expect(answeredIn).toBeLessThan(TIMEOUT_S * 1000 + 3_000);

    // Every scrape slot kept: none missed, none started more than an interval late, and each
    // target has a sample for every second of the storm.
    const scrapes = after.scrapes - before.scrapes;
    const seconds = Math.floor((end - start) / 1000);
    expect(after.missed - before.missed).toBe(0);
    expect(scrapes).toBeGreaterThanOrEqual(TARGETS * (seconds - 1));
    expect(after.withinInterval - before.withinInterval).toBe(scrapes);
    // Also the API's pool is free again: no stopped query still holds a worker or a slot.
    const ups = await instant(url, `count_over_time(up[${seconds}s])`, end / 1000);
    expect(ups).toHaveLength(TARGETS);
    for (const u of ups) expect(Number(u.value?.[1])).toBeGreaterThanOrEqual(seconds - 1);

    // Every KPI round ran and finished within its interval, and read values, not unknown.
    expect(after.rounds - before.rounds).toBeGreaterThanOrEqual(seconds - 1);
    expect(longestRoundS).toBeLessThan(1);
    await expectKpiHistory(url, Math.ceil(start / 1000) + 1, Math.floor(end / 1000) - 1);
    console.log(
      `storm of ${STORM.length} queries: answered in ${(answeredIn / 1000).toFixed(1)} s ` +
        `(${settled.filter((a) => a.status === 200).length} finished, the rest timed out); ` +
        `${scrapes} scrapes in ${seconds} s, none missed or late by an interval; longest KPI round ${(longestRoundS * 1000).toFixed(0)} ms`,
    );
  }, 120_000);
});
