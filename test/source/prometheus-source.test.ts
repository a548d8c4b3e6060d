/** kpi-lights on a real Prometheus: the same KPIs as the embedded engine, a Prometheus that stops and comes back, two replicas. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertmanagerProcess,
  alertmanagerBinary,
  startAlertmanager,
} from '#test-support/alertmanager-process.js';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import {
  hasPrometheus,
  type RunningPrometheus,
  startPrometheus,
} from '#test-support/prometheus-server.js';
import { waitFor } from '#test-support/wait-for.js';
import { edgeBound, type RawSeries } from '#test-support/window-edges.js';
import { type Listening, listen } from '../../demo/listen.js';
import { createEfileService } from '../../demo/services/create-efile-service.js';
import { createStatusService } from '../../demo/services/create-status-service.js';
import { FilingLedger } from '../../demo/services/filing-ledger.js';
import { startTraffic, type Traffic } from '../../demo/traffic.js';
import type { KpiHistory, KpiReading, TargetHealth } from '../../src/sdk/types.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

/**
 * Both scrape every {@link SCRAPE_MS}, each at its own instants; rates look back {@link WINDOW_S}.
 * The two windows then hold the same samples except at their edges, where one may hold a sample
 * the other does not yet or no longer has: at most one scrape interval's worth of requests at
 * each edge, a share of 2 × interval / window ({@link EDGE_SHARE}, 5 %) of the window's requests.
 * - A rate of steady traffic then differs by at most that share of its value (relative), and
 *   `rate`'s extrapolation to the window edges makes the real difference smaller.
 * - A ratio of rates over the same requests (errors / all) differs by at most that share
 *   absolute: in the worst case every request one window has and the other lacks is an error
 *   (or none is). Its relative difference can be larger when the ratio is small, since errors are
 *   random (one in ten here) and a few more or fewer at an edge move a small numerator a lot.
 * - `up`, and a selector that matches nothing, are exact, at an instant when every target's last
 *   scrape was good on both sides ({@link allUpAt}): a busy machine fails some 250 ms scrapes.
 *
 * That holds for requests spread evenly over the window and scrapes on time. On a busy machine
 * the traffic catches up in bursts and scrapes fail or run late, so an edge can hold more, and
 * `rate` extrapolates further. The comparison measures both from each source's raw samples of
 * the same counters ({@link edgeBound}) and allows what they add up to, never less than
 * EDGE_SHARE.
 */
const SCRAPE_MS = 250;
const WINDOW_S = 10;
const EDGE_SHARE = (2 * SCRAPE_MS) / (WINDOW_S * 1000);
const TRAFFIC_PER_SECOND = 100;
/** Comparisons evaluate this far in the past, when both sides have stored every scrape. */
const LOOKBACK_S = 1;

/**
 * How each KPI may differ between the two sources: by the edge share of one service's requests,
 * as a relative or an absolute difference, or not at all; see {@link EDGE_SHARE}.
 */
const TOLERANCE: Record<
  string,
  { readonly service: string; readonly by: 'relative' | 'absolute' } | 'exact'
> = {
  'efile-error-rate': { service: 'efile', by: 'absolute' },
  'efile-fast': { service: 'efile', by: 'absolute' },
  'status-throughput': { service: 'status', by: 'relative' },
  availability: 'exact',
};
const EVAL = '1s';
const EVAL_MS = 1_000;

/**
 * The alert every server of this file runs, forwarded to one Alertmanager. While the injected
 * errors climb through the window, the error ratio rises by about (0.9 − 0.1) / {@link WINDOW_S}
 * per second; the two sources' ratios differ by at most {@link EDGE_SHARE}, which moves the
 * moment the threshold is crossed by at most EDGE_SHARE / that slope (0.6 s). Both evaluate on
 * the same aligned one-second rounds, so the alert fires on the same round or, at the worst,
 * one round apart: {@link FIRING_BOUND_MS}.
 */
const FIRING_BOUND_MS = Math.ceil(EDGE_SHARE / (0.8 / WINDOW_S) / (EVAL_MS / 1000)) * EVAL_MS;

function alertSection(alertmanager: string | undefined): string {
  if (!alertmanager) return '';
  return `
alerts:
  - name: EfileErrorsCritical
    kpi: efile-error-rate
    when: critical
    for: 1s
    notify: [am]
route: { group_wait: 0s, group_interval: 1m, repeat_interval: 1h }
receivers:
  am:
    alertmanager: { url: ${alertmanager} }
`;
}

const KPIS = `
kpis:
  - id: efile-error-rate
    title: E-file error rate
    query: >
      (sum(rate(http_requests_total{service="efile",status=~"5.."}[${WINDOW_S}s])) or vector(0))
      / sum(rate(http_requests_total{service="efile"}[${WINDOW_S}s]))
    unit: percent
    thresholds: { warning: 0.2, critical: 0.5 }
  - id: efile-fast
    title: E-file requests under 250 ms
    query: >
      sum(rate(http_request_duration_seconds_bucket{service="efile",le="0.25"}[${WINDOW_S}s]))
      / sum(rate(http_request_duration_seconds_count{service="efile"}[${WINDOW_S}s]))
    unit: ratio
    direction: lower-is-worse
    thresholds: { warning: 0.5, critical: 0.2 }
  - id: status-throughput
    title: Status checks per second
    query: sum(rate(http_requests_total{service="status"}[${WINDOW_S}s]))
    unit: per_second
    thresholds: { warning: 1000, critical: 2000 }
  - id: efile-under-3s
    title: E-file requests under 3 s (no such bucket)
    query: >
      sum(rate(http_request_duration_seconds_bucket{service="efile",le="3"}[${WINDOW_S}s]))
      / sum(rate(http_request_duration_seconds_count{service="efile"}[${WINDOW_S}s]))
    unit: ratio
    direction: lower-is-worse
    thresholds: { warning: 0.99, critical: 0.9 }
  - id: availability
    title: Services up
    query: avg(up{service=~"efile|status"})
    unit: ratio
    direction: lower-is-worse
    thresholds: { warning: 1, critical: 0.5 }
evaluation: { interval: ${EVAL} }
`;

function embeddedPolicy(efile: string, status: string, alertmanager?: string): string {
  return `scrape: { interval: ${SCRAPE_MS}ms, timeout: ${SCRAPE_MS}ms }
targets:
  - url: ${efile}/metrics
    labels: { service: efile, agency: IRS, env: demo }
  - url: ${status}/metrics
    labels: { service: status, agency: IRS, env: demo }
${KPIS}${alertSection(alertmanager)}`;
}

function remotePolicy(prometheus: string, history = 'database', alertmanager?: string): string {
  // The comparisons send their own PromQL through the replicas, as anonymous readers.
  return `source: { prometheus: { url: ${prometheus}, timeout: 2s, public_queries: any } }
history: { from: ${history} }
${KPIS}${alertSection(alertmanager)}`;
}

/** Alertmanager's own config: every alert to the test's webhook, soon and once. */
function alertmanagerConfig(hook: string): string {
  return `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1m
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: ${hook}
        send_resolved: true
`;
}

/** The same targets, job names and labels as the embedded policy. */
function prometheusConfig(efile: string, status: string): string {
  const job = (name: string, url: string) => `
  - job_name: ${name}
    static_configs:
      - targets: ['${new URL(url).host}']
        labels: { service: ${name}, agency: IRS, env: demo }`;
  return `global: { scrape_interval: ${SCRAPE_MS}ms, scrape_timeout: ${SCRAPE_MS}ms, evaluation_interval: 1h }
scrape_configs:${job('efile', efile)}${job('status', status)}
`;
}

const percent = (share = Number.NaN) => `${(share * 100).toFixed(1)} %`;

const byId = (readings: readonly KpiReading[]) => new Map(readings.map((r) => [r.id, r]));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const prometheusHere = hasPrometheus();
if (!prometheusHere) {
  console.warn(
    'skipping the Prometheus source tests: no prometheus binary here (Debian package prometheus)',
  );
}

// In file order even under --sequence.shuffle: the last test stops the shared Prometheus, and the
// gap it leaves in its samples would change what the comparisons before it read.
describe.skipIf(!prometheusHere)(
  'source: prometheus, against a real Prometheus',
  { shuffle: false },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-lights-prom-'));
    const ledger = new FilingLedger();
    const efile = createEfileService({ ledger, workMs: [1, 3] });
    const status = createStatusService({ ledger, workMs: [1, 3] });
    let efileServer: Listening;
    let statusServer: Listening;
    let traffic: Traffic;
    let prometheus: RunningPrometheus;
    let config: string;
    let embedded: ServerHandle;
    let replicaA: ServerHandle;
    let replicaB: ServerHandle;
    const amBinary = alertmanagerBinary();
    let alertmanager: AlertmanagerProcess | undefined;
    let hook: LocalServer | undefined;
    /** What Alertmanager's webhook delivered: one entry per notification. */
    const notifications: { status: string; alerts: { labels: Record<string, string> }[] }[] = [];

    async function server(name: string, text: string): Promise<ServerHandle> {
      const configPath = join(dir, `${name}.yaml`);
      writeFileSync(configPath, text);
      return startServer({
        configPath,
        port: 0,
        dataDir: join(dir, name),
        writeBack: false,
        processMetrics: false,
        headRetentionMs: 600_000,
        report: () => {},
      });
    }

    beforeAll(async () => {
      efileServer = await listen(efile.app, 0);
      statusServer = await listen(status.app, 0);
      // One in ten filings fails, so the error rate is a real ratio, not 0 against 0.
      efile.knobs.set({ errorRate: 0.1 });
      traffic = startTraffic({
        efileUrl: efileServer.url,
        statusUrl: statusServer.url,
        ratePerSecond: TRAFFIC_PER_SECOND,
      });
      config = prometheusConfig(efileServer.url, statusServer.url);
      mkdirSync(join(dir, 'tsdb'));
      prometheus = await startPrometheus(join(dir, 'tsdb'), dir, { config });
      if (amBinary) {
        hook = await serveLocal({
          fetch: async (req: Request) => {
            notifications.push((await req.json()) as (typeof notifications)[number]);
            return new Response(null, { status: 200 });
          },
        });
        alertmanager = await startAlertmanager(amBinary, alertmanagerConfig(`${hook.url}/hook`));
      }
      const am = alertmanager?.url;
      embedded = await server('embedded', embeddedPolicy(efileServer.url, statusServer.url, am));
      replicaA = await server('replica-a', remotePolicy(prometheus.url, 'database', am));
      replicaB = await server('replica-b', remotePolicy(prometheus.url, 'source', am));
      // Prometheus sends new targets to its scrapers only every few seconds, and a loaded machine
      // fails some first scrapes: wait until both hold a full window of good scrapes of each target.
      await fullWindow(embedded);
      await fullWindow(replicaA);
    }, 90_000);

    /**
     * Resolves once every target was scraped before a window and the {@link LOOKBACK_S} the
     * comparisons evaluate in the past, and has good scrapes (`up` 1) in four in five of the
     * window's slots, on the server's source. A busy machine fails or delays some scrapes of a
     * 250 ms interval; the comparison measures what the wider gaps hold ({@link edgeBound}), so it
     * needs the window covered, not every slot filled.
     */
    async function fullWindow(s: ServerHandle): Promise<void> {
      const span = WINDOW_S + LOOKBACK_S + 1;
      const slots = (span * 1000) / SCRAPE_MS;
      const least = async (query: string) =>
        Number((await instantQuery<{ value: [number, string] }>(s, query))[0]?.value[1] ?? 0);
      let good = 0;
      await waitFor(
        async () => {
          const before = await least(`min(count_over_time(up[1s] offset ${span}s))`);
          good = await least(`min(sum_over_time(up[${span}s]))`);
          return before > 0 && good >= 0.8 * slots;
        },
        { timeoutMs: 60_000, everyMs: SCRAPE_MS },
      ).catch(() => {
        throw new Error(
          `${s.url} has no full window of scrapes after 60 s: the least-scraped target has ${good} good scrapes of ${slots} slots in the last ${span} s`,
        );
      });
      console.info(`${s.url}: the least-scraped target has ${good} of ${slots} slots good`);
    }

    /** The result of an instant query on `s`'s source, at `atMs` (default now). */
    async function instantQuery<T>(s: ServerHandle, query: string, atMs?: number): Promise<T[]> {
      const time = atMs === undefined ? '' : `&time=${atMs / 1000}`;
      const r = await s.app.app.request(`/api/v1/query?query=${encodeURIComponent(query)}${time}`);
      return ((await r.json()) as { data?: { result?: T[] } }).data?.result ?? [];
    }

    /**
     * An instant {@link LOOKBACK_S} in the past at which every target's last scrape was good on
     * each server's source, so `up` reads the same through all of them.
     */
    async function allUpAt(servers: readonly [ServerHandle, ServerHandle]): Promise<number> {
      let at = 0;
      await waitFor(
        async () => {
          at = Date.now() - LOOKBACK_S * 1000;
          const lows = await Promise.all(
            servers.map((s) => instantQuery<{ value: [number, string] }>(s, 'min(up)', at)),
          );
          return lows.every((low) => low[0]?.value[1] === '1');
        },
        { everyMs: SCRAPE_MS },
      );
      return at;
    }

    /**
     * Evaluates on both servers at `at` until the selector lint's advice agrees, and returns that
     * advice. The lint is judged apart from the reading: a server whose target scraped while it
     * judged leaves the query undecided for that round and judges it again on the next.
     */
    async function agreedAdvice(
      servers: readonly [ServerHandle, ServerHandle],
      at: number,
    ): Promise<Map<string, readonly string[]>> {
      const advice = (rs: readonly KpiReading[]) =>
        new Map(rs.map((r) => [r.id, r.warnings ?? []] as const));
      let pair: Map<string, readonly string[]>[] = [];
      await waitFor(async () => {
        pair = (await Promise.all(servers.map((s) => s.evaluator.evaluate(at)))).map(advice);
        return JSON.stringify([...(pair[0] ?? [])]) === JSON.stringify([...(pair[1] ?? [])]);
      });
      expect(pair[1]).toEqual(pair[0]);
      return pair[0] ?? new Map();
    }

    /**
     * The most a ratio of each service's requests (`absolute`) and its request rate (`perSecond`)
     * may differ between the embedded engine and Prometheus at `atMs`.
     */
    async function tolerances(atMs: number) {
      const out = new Map<string, { absolute: number; perSecond: number }>();
      for (const service of ['efile', 'status']) {
        const [mine, theirs] = await Promise.all(
          [embedded, replicaA].map((s) =>
            // The service's request counters over the window, raw, as each source holds them.
            instantQuery<RawSeries>(
              s,
              `http_requests_total{service="${service}"}[${WINDOW_S}s]`,
              atMs,
            ),
          ),
        );
        const b = edgeBound(mine ?? [], theirs ?? [], WINDOW_S);
        out.set(service, {
          // Extrapolation scales a ratio's numerator and denominator alike: only the edges count.
          absolute: Math.max(EDGE_SHARE, b.edgeDifference / b.increase),
          perSecond: (b.edgeDifference + b.extrapolationAtMost) / WINDOW_S,
        });
      }
      return out;
    }

    afterAll(async () => {
      await traffic?.stop();
      await Promise.all([embedded?.close(), replicaA?.close(), replicaB?.close()]);
      await prometheus?.stop();
      await alertmanager?.stop();
      await hook?.close();
      await Promise.all([efileServer?.close(), statusServer?.close()]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('gives every KPI the embedded engine gives, within the share of a window its edges hold', async () => {
      const at = await allUpAt([embedded, replicaA]);
      const [mine, theirs] = await Promise.all([
        embedded.evaluator.evaluate(at),
        replicaA.evaluator.evaluate(at),
      ]);
      const remote = byId(theirs);
      const allowed = await tolerances(at);
      let largestRelative = 0;
      const rows: string[] = [];
      const checks: (() => void)[] = [];
      for (const e of mine) {
        const r = remote.get(e.id);
        expect(r, e.id).toBeDefined();
        if (!r) continue;
        expect([e.id, r.status, r.reason]).toEqual([e.id, e.status, e.reason]);
        if (e.value === null || r.value === null) {
          expect(r.value).toBe(e.value);
          continue;
        }
        const absolute = Math.abs(e.value - r.value);
        const relative =
          absolute === 0 ? 0 : absolute / Math.max(Math.abs(e.value), Math.abs(r.value));
        largestRelative = Math.max(largestRelative, relative);
        rows.push(
          `${e.id}: embedded ${e.value.toPrecision(6)}, prometheus ${r.value.toPrecision(6)}, difference ${absolute.toPrecision(3)} (${(relative * 100).toFixed(2)} %)`,
        );
        checks.push(() => {
          const kind = TOLERANCE[e.id];
          if (kind === undefined) throw new Error(`no tolerance for ${e.id}`);
          if (kind === 'exact') return expect(absolute, e.id).toBe(0);
          const bound = allowed.get(kind.service);
          if (kind.by === 'absolute')
            return expect(absolute, e.id).toBeLessThanOrEqual(bound?.absolute ?? EDGE_SHARE);
          const perSecond = bound?.perSecond ?? 0;
          const share = Math.max(EDGE_SHARE, perSecond / Math.max(e.value ?? 0, r.value ?? 0));
          expect(relative, e.id).toBeLessThanOrEqual(share);
        });
      }
      // The figures for the record, printed before the bounds are checked.
      console.info(
        `embedded against Prometheus (allowed: efile ratios ${percent(allowed.get('efile')?.absolute)} absolute, status throughput ${allowed.get('status')?.perSecond.toPrecision(3)}/s; ${percent(EDGE_SHARE)} when even), largest relative difference ${(largestRelative * 100).toFixed(2)} %:\n  ${rows.join('\n  ')}`,
      );
      for (const check of checks) check();
      // The lint says the same through both: le="3" is no bucket of the exporter.
      const advice = await agreedAdvice([embedded, replicaA], at);
      expect(advice.get('efile-under-3s')?.[0]).toMatch(
        /^histogram http_request_duration_seconds has no bucket le="3" \(has 0\.005, .*10\)/,
      );
      expect(remote.get('availability')?.value).toBe(1);
    });

    it('reports the targets Prometheus scrapes, as the embedded server reports its own', async () => {
      const [mine, theirs] = await Promise.all(
        [embedded, replicaA].map(async (s) => {
          const res = await fetch(`${s.url}/api/v1/targets`);
          expect(res.status).toBe(200);
          const list = (await res.json()) as TargetHealth[];
          return list.map((t) => [t.url, t.job, t.health, t.labels.service]).sort();
        }),
      );
      expect(theirs).toEqual(mine);
    });

    it('gives two replicas on one Prometheus the same readings', async () => {
      const at = Date.now() - LOOKBACK_S * 1000;
      const [a, b] = await Promise.all([
        replicaA.evaluator.evaluate(at),
        replicaB.evaluator.evaluate(at),
      ]);
      const reading = (r: KpiReading) => [r.id, r.value, r.status, r.reason];
      expect(b.map(reading)).toEqual(a.map(reading));
      const advice = await agreedAdvice([replicaA, replicaB], at);
      expect(advice.get('efile-under-3s')?.[0]).toMatch(/has no bucket le="3"/);
    });

    it.skipIf(!amBinary)(
      'fires the same alert on the same rounds through both sources, and Alertmanager pages once',
      async () => {
        const firing = (s: ServerHandle) =>
          s.alerts.current().find((a) => a.name === 'EfileErrorsCritical' && a.state === 'firing');
        efile.knobs.set({ errorRate: 0.9 });
        try {
          await waitFor(() => [embedded, replicaA, replicaB].every((s) => firing(s)), {
            timeoutMs: 30_000,
            everyMs: 50,
          });
          const fired = [embedded, replicaA, replicaB].map((s) => Date.parse(firing(s)!.firedAt!));
          const spread = Math.max(...fired) - Math.min(...fired);
          console.info(
            `alert fired: embedded ${new Date(fired[0]).toISOString()}, replicas ${fired
              .slice(1)
              .map((t) => `${t - fired[0]} ms`)
              .join(', ')} from it (bound ${FIRING_BOUND_MS} ms)`,
          );
          expect(spread).toBeLessThanOrEqual(FIRING_BOUND_MS);
          // Three senders of the same alert (same labels): Alertmanager groups them as one.
          await waitFor(() => notifications.some((n) => n.status === 'firing'), {
            timeoutMs: 15_000,
          });
          // Every sender has handed its alert over; Alertmanager holds them as one alert in one
          // group, so there is no second group whose notice could still come.
          await waitFor(
            () => [embedded, replicaA, replicaB].every((r) => r.alerts.outbox.pending() === 0),
            {
              timeoutMs: 15_000,
            },
          );
          const groups = (await (
            await fetch(`${alertmanager!.url}/api/v2/alerts/groups`)
          ).json()) as { alerts: { labels: Record<string, string> }[] }[];
          const held = groups
            .flatMap((g) => g.alerts)
            .filter((a) => a.labels.alertname === 'EfileErrorsCritical');
          expect([groups.length, held.length]).toEqual([1, 1]);
          const pages = notifications.filter((n) => n.status === 'firing');
          expect(pages).toHaveLength(1);
          expect(pages[0].alerts.map((a) => a.labels.alertname)).toEqual(['EfileErrorsCritical']);
        } finally {
          efile.knobs.set({ errorRate: 0.1 });
        }
      },
      60_000,
    );

    it('serves history from the source with history: { from: source }, the same from any replica', async () => {
      const to = Date.now() - LOOKBACK_S * 1000;
      const path = `/api/v1/kpis/status-throughput/history?from=${to - 5_000}&to=${to}&step=1s`;
      // Replica B answers from Prometheus; A, from its own database, has only what it evaluated.
      const res = await fetch(`${replicaB.url}${path}`);
      expect(res.status).toBe(200);
      const h = (await res.json()) as KpiHistory;
      expect(h.t).toHaveLength(6);
      expect(h.status.every((s) => s === 'ok')).toBe(true);
      // Traffic flowed all along; its exact rate is the cross-check's business.
      for (const v of h.v) expect(v).toBeGreaterThan(0);
      // A third replica with no past of its own serves the same points.
      const fresh = await server('replica-c', remotePolicy(prometheus.url, 'source'));
      try {
        expect(await (await fetch(`${fresh.url}${path}`)).json()).toEqual(h);
      } finally {
        await fresh.close();
      }
    });

    it('turns KPIs unknown with the reason while Prometheus is down, and back when it returns', async () => {
      await prometheus.stop();
      const down = await replicaA.evaluator.evaluate(Date.now());
      for (const r of down) {
        expect(r.status, r.id).toBe('unknown');
        // Refused, or a kept-alive connection the stopping server closed: unreachable either way.
        expect(r.reason, r.id).toMatch(/^query error: prometheus unreachable: /);
      }
      const ready = await fetch(`${replicaA.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.source).toBe(
        'failing',
      );
      expect((await fetch(`${replicaA.url}/api/v1/targets`)).status).toBe(503);
      const history = await fetch(`${replicaB.url}/api/v1/kpis/status-throughput/history`);
      expect(history.status).toBe(503);
      expect(((await history.json()) as { detail: string }).detail).toMatch(
        /^history unavailable: prometheus unreachable/,
      );

      prometheus = await startPrometheus(join(dir, 'tsdb'), dir, { config, port: prometheus.port });
      const deadline = Date.now() + 30_000;
      let back: readonly KpiReading[] = [];
      while (Date.now() < deadline) {
        back = await replicaA.evaluator.evaluate(Date.now());
        if (back.every((r) => r.id === 'efile-under-3s' || r.status !== 'unknown')) break;
        await sleep(250);
      }
      expect(back.map((r) => [r.id, r.status === 'unknown' ? r.reason : 'known'])).toEqual([
        ['efile-error-rate', 'known'],
        ['efile-fast', 'known'],
        ['status-throughput', 'known'],
        ['efile-under-3s', 'no data'],
        ['availability', 'known'],
      ]);
      expect((await fetch(`${replicaA.url}/readyz`)).status).toBe(200);
    }, 60_000);
  },
);
