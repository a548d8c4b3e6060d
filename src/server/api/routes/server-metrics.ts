/** The KPI server's own telemetry on `GET /metrics`: scrapes, evaluation, the stream, and every KPI. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics } from '../../../exporter/process-metrics.js';
import type { KpiReading, KpiStatus } from '../../../sdk/types.js';
import type { OutboxStats } from '../../alerts/index.js';
import type { ScrapeHealth, ScrapeSummary } from '../../scrape/index.js';
import type { HeadStats } from '../../store/index.js';
import { serverDocs } from '../openapi/route-docs.js';
import type { SseHubStats } from '../stream/sse-hub.js';

/** What a KPI status reads as in `kpi_lights_kpi_status`: worse is higher; unknown is -1. */
export const STATUS_VALUE: Readonly<Record<KpiStatus, number>> = {
  ok: 0,
  warning: 1,
  critical: 2,
  unknown: -1,
};

/** Where the numbers come from; each is read when `/metrics` is scraped. Every field is optional. */
export interface ServerMetricsSources {
  readonly evaluation?: () => { rounds: number; lastRoundMs: number; failures: number };
  readonly stream?: () => SseHubStats;
  readonly readings?: () => readonly KpiReading[];
  readonly head?: () => HeadStats;
  /** The alert outbox: notices given up (by reason) and owed, per receiver and channel. */
  readonly outbox?: () => OutboxStats;
  /** The targets' scrape health, for the slots they missed. */
  readonly targets?: () => readonly ScrapeHealth[];
}

/** Options of {@link createServerMetrics}. Every field is optional. */
export interface ServerMetricsOptions extends ServerMetricsSources {
  /** Also export Node's process metrics (`process_*`, `nodejs_*`). Default false. */
  readonly defaultMetrics?: boolean;
}

/** The registry and the hooks that feed it. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Records one finished scrape; `job` is the target's job label. */
  observeScrape(report: ScrapeSummary, job: string): void;
  /** `GET /metrics` in Prometheus text format. */
  readonly routes: Hono;
}

/**
 * Creates the server's own registry. Counters that mirror a part's running totals (evaluation
 * rounds and failures, stream drops) are read from that part at scrape time rather than kept in
 * step twice; KPI gauges are rebuilt on each scrape, so a KPI taken out of the policy vanishes.
 *
 * @example
 * ```ts
 * const metrics = createServerMetrics({ evaluation: () => evaluator.stats(), stream: () => hub.stats });
 * new ScrapeManager({ store, onScrape: (r) => metrics.observeScrape(r, jobOf(r.targetId)) });
 * app.route('/', metrics.routes);
 * ```
 */
export function createServerMetrics(options: ServerMetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectProcessMetrics(registry);
  // Registered in this order, which is the order `/metrics` lists them in.
  const { evaluation, stream, readings, head, outbox, targets } = options;
  const observeScrape = scrapeMetrics(registry, targets);
  evaluationMetrics(registry, evaluation);
  streamMetrics(registry, stream);
  headMetrics(registry, head);
  alertOutboxMetrics(registry, outbox);
  storageMetrics(registry, head);
  kpiMetrics(registry, readings);

  const routes = new Hono().get('/metrics', describeRoute(serverDocs.metrics), async (c) => {
    const text = await registry.metrics();
    return c.body(text, 200, { 'content-type': registry.contentType });
  });
  return { registry, observeScrape, routes };
}

/** Scrape durations, failures, limit refusals and samples, by job: fed by each finished scrape. */
function scrapeMetrics(
  registry: Registry,
  targets: ServerMetricsSources['targets'],
): ServerMetrics['observeScrape'] {
  const registers = [registry];
  const scrapeDuration = new Histogram({
    name: 'kpi_lights_scrape_duration_seconds',
    help: 'Duration of scrapes of targets, by job.',
    labelNames: ['job'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const scrapeFailures = new Counter({
    name: 'kpi_lights_scrape_failures_total',
    help: 'Scrapes that failed, by job.',
    labelNames: ['job'] as const,
    registers,
  });
  const scrapeLimitRefusals = new Counter({
    name: 'kpi_lights_scrape_limit_refusals_total',
    help: 'Scrapes refused whole for breaking a limit (body size, samples, series, labels), by job and limit.',
    labelNames: ['job', 'limit'] as const,
    registers,
  });
  const scrapeSamples = new Counter({
    name: 'kpi_lights_scrape_samples_total',
    help: 'Samples read from targets, by job.',
    labelNames: ['job'] as const,
    registers,
  });
  const scrapeLateness = scrapeScheduleMetrics(registry, targets);
  return (report, job) => {
    scrapeDuration.observe({ job }, report.durationMs / 1000);
    if (report.latenessMs !== undefined) scrapeLateness.observe({ job }, report.latenessMs / 1000);
    if (report.error) scrapeFailures.inc({ job });
    if (report.error && LIMIT_KINDS.has(report.error.kind)) {
      scrapeLimitRefusals.inc({ job, limit: report.error.kind });
    }
    scrapeSamples.inc({ job }, report.samplesScraped);
  };
}

/** How late scheduled scrapes started, and the slots that passed with none, by job. */
function scrapeScheduleMetrics(
  registry: Registry,
  targets: ServerMetricsSources['targets'],
): Histogram<'job'> {
  const registers = [registry];
  const lateness = new Histogram({
    name: 'kpi_lights_scrape_lateness_seconds',
    help: 'How long after its slot each scheduled scrape started, by job.',
    labelNames: ['job'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  new Counter({
    name: 'kpi_lights_scrape_slots_missed_total',
    help: 'Scrape slots that passed with no scrape (the last ran on, the scraper ran late or stalled), by job.',
    labelNames: ['job'] as const,
    registers,
    collect() {
      if (!targets) return;
      this.reset();
      for (const t of targets()) if (t.missedSlots > 0) this.inc({ job: t.job }, t.missedSlots);
    },
  });
  return lateness;
}

/** The evaluator's last round time, rounds and failures, read from its own totals. */
function evaluationMetrics(
  registry: Registry,
  evaluation: ServerMetricsSources['evaluation'],
): void {
  const registers = [registry];
  new Gauge({
    name: 'kpi_lights_evaluation_last_duration_seconds',
    help: 'Duration of the last KPI evaluation round.',
    registers,
    collect() {
      if (evaluation) this.set(evaluation().lastRoundMs / 1000);
    },
  });
  new Counter({
    name: 'kpi_lights_evaluation_rounds_total',
    help: 'KPI evaluation rounds finished.',
    registers,
    collect() {
      if (evaluation) mirror(this, evaluation().rounds);
    },
  });
  new Counter({
    name: 'kpi_lights_kpi_evaluation_failures_total',
    help: 'KPI queries that failed or timed out, plus rounds whose history write failed.',
    registers,
    collect() {
      if (evaluation) mirror(this, evaluation().failures);
    },
  });
}

/** The event stream's viewers, events, drops and refusals, read from the hub's own totals. */
function streamMetrics(registry: Registry, stream: ServerMetricsSources['stream']): void {
  const registers = [registry];
  new Gauge({
    name: 'kpi_lights_sse_clients',
    help: 'Viewers connected to the event stream.',
    registers,
    collect() {
      if (stream) this.set(stream().clients);
    },
  });
  new Counter({
    name: 'kpi_lights_sse_events_published_total',
    help: 'Events published on the stream.',
    registers,
    collect() {
      if (stream) mirror(this, stream().eventsPublished);
    },
  });
  new Counter({
    name: 'kpi_lights_sse_events_dropped_total',
    help: 'Stream events not delivered because their viewer was too slow and was cut off.',
    registers,
    collect() {
      if (stream) mirror(this, stream().eventsDropped);
    },
  });
  new Counter({
    name: 'kpi_lights_sse_clients_dropped_total',
    help: 'Stream viewers cut off for being too slow.',
    registers,
    collect() {
      if (stream) mirror(this, stream().clientsDropped);
    },
  });
  new Counter({
    name: 'kpi_lights_sse_refused_total',
    help: 'Stream viewers refused past a cap: all streams (total) or one client address (per-client).',
    labelNames: ['reason'] as const,
    registers,
    collect() {
      if (!stream) return;
      const { total, perClient } = stream().refused;
      this.reset();
      if (total > 0) this.inc({ reason: 'total' }, total);
      if (perClient > 0) this.inc({ reason: 'per-client' }, perClient);
    },
  });
}

/** How many series and samples the head holds. */
function headMetrics(registry: Registry, head: ServerMetricsSources['head']): void {
  const registers = [registry];
  new Gauge({
    name: 'kpi_lights_head_series',
    help: 'Series held in the head.',
    registers,
    collect() {
      if (head) this.set(head().series);
    },
  });
  new Gauge({
    name: 'kpi_lights_head_samples',
    help: 'Samples held in the head, in memory or in its chunk files.',
    registers,
    collect() {
      if (head) this.set(head().samples);
    },
  });
}

/** The alert outbox: notices given up and notices owed, per receiver and channel. */
function alertOutboxMetrics(registry: Registry, outbox: ServerMetricsSources['outbox']): void {
  const registers = [registry];
  new Counter({
    name: 'kpi_lights_alert_notices_given_up_total',
    help: 'Alert notices given up undelivered, by receiver, channel and reason (refused: the receiver refused it outright; expired: undelivered for 24 h; receiver-gone; outbox-full).',
    labelNames: ['receiver', 'channel', 'reason'] as const,
    registers,
    collect() {
      this.reset();
      for (const g of outbox?.().givenUp ?? []) {
        this.inc({ receiver: g.receiver, channel: g.channel, reason: g.reason }, g.count);
      }
    },
  });
  new Gauge({
    name: 'kpi_lights_alert_notices_pending',
    help: 'Alert notices owed to each receiver and channel, not yet delivered.',
    labelNames: ['receiver', 'channel'] as const,
    registers,
    collect() {
      this.reset();
      for (const p of outbox?.().pending ?? []) {
        this.set({ receiver: p.receiver, channel: p.channel }, p.notices);
      }
    },
  });
}

/** What the head costs: bytes in memory, and bytes of the sample store on disk. */
function storageMetrics(registry: Registry, head: ServerMetricsSources['head']): void {
  const registers = [registry];
  new Gauge({
    name: 'kpi_lights_head_bytes',
    help: 'Estimated bytes of memory the head holds: series, index, and compressed chunks.',
    registers,
    collect() {
      if (head) this.set(head().bytes);
    },
  });
  new Gauge({
    name: 'kpi_lights_storage_bytes',
    help: 'Bytes of the sample store on disk: chunk files, write-ahead log, checkpoint.',
    registers,
    collect() {
      const bytes = head?.().diskBytes;
      if (bytes !== undefined) this.set(bytes);
    },
  });
}

/** Each KPI's status and value, rebuilt on each scrape so a KPI taken out of the policy vanishes. */
function kpiMetrics(registry: Registry, readings: ServerMetricsSources['readings']): void {
  const registers = [registry];
  new Gauge({
    name: 'kpi_lights_kpi_status',
    help: 'Status of each KPI: 0 ok, 1 warning, 2 critical, -1 unknown.',
    labelNames: ['kpi'] as const,
    registers,
    collect() {
      this.reset();
      for (const r of readings?.() ?? []) this.set({ kpi: r.id }, STATUS_VALUE[r.status]);
    },
  });
  new Gauge({
    name: 'kpi_lights_kpi_value',
    help: 'Current value of each KPI (the worst group for grouped KPIs); absent when unknown.',
    labelNames: ['kpi'] as const,
    registers,
    collect() {
      this.reset();
      // An unknown value is left out, as Prometheus leaves out a series it has no sample for.
      for (const r of readings?.() ?? []) {
        if (r.value !== null && !Number.isNaN(r.value)) this.set({ kpi: r.id }, r.value);
      }
    },
  });
}

/** Scrape error kinds that mean "a limit refused it", counted apart from other failures. */
const LIMIT_KINDS: ReadonlySet<string> = new Set([
  'body-limit',
  'sample-limit',
  'series-limit',
  'label-limit',
]);

/** Sets a counter to a running total kept elsewhere. */
function mirror(counter: Counter, total: number): void {
  counter.reset();
  if (total > 0) counter.inc(total);
}
