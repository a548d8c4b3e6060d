/** The engine worker's entry: scraping, the head store and the PromQL engine, off the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../shared/error-message.js';
import { readExportPage } from '../feeds/export-page.js';
import { PromqlEngine, queryStop } from '../promql/index.js';
import { emptyQueryStats } from '../promql/query-stats.js';
import {
  ScrapeManager,
  type ScrapeReport,
  type ScrapeSummary,
  TargetConfigError,
} from '../scrape/index.js';
import { answerSeriesRead } from '../series-reads/read-head.js';
import { toQueryError } from '../source/embedded-source.js';
import { type EngineHead, openHead } from '../store/open-head.js';
import { toColumns } from './columnar-result.js';
import type {
  EngineRequests,
  EngineWorkerInit,
  RequestMessage,
  TargetsReport,
  WireError,
  WorkerMessage,
} from './protocol.js';

const port = parentPort;
if (!port) throw new Error('engine-worker.ts runs as a worker thread, not on its own');
const init = workerData as EngineWorkerInit;
const stopFlags = new Int32Array(init.stopFlags);

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

// Replays the sample store before anything else: the first query must see what is on disk.
let opened: EngineHead;
try {
  opened = openHead({
    storage: init.storage,
    headRetentionMs: init.headRetentionMs,
    maxSeries: init.maxSeries,
    log: (line) => console.error(`kpi-lights: ${line}`),
  });
} catch (err) {
  post({ type: 'fatal', message: `the sample store cannot be opened: ${errorMessage(err)}` });
  throw err;
}
const { head } = opened;
// Bounded in the worker, so an oversized answer is never built, transferred or serialised.
const engine = new PromqlEngine(head, {
  ...(init.maxSamples !== undefined && { maxSamples: init.maxSamples }),
  ...(init.maxResultBytes !== undefined && { maxResultBytes: init.maxResultBytes }),
});

function summary(report: ScrapeReport): ScrapeSummary {
  const { error, ...rest } = report;
  return { ...rest, error: error && { kind: error.kind, message: error.message } };
}

const scrape: ScrapeManager = new ScrapeManager({
  store: head,
  targets: init.targets,
  onScrape: (report) => {
    const loop = scrape.loop(report.targetId);
    if (!loop) return;
    post({ type: 'scraped', job: loop.target.job, health: loop.health(), report: summary(report) });
  },
});

function targetsReport(): TargetsReport {
  return { targets: scrape.targets(), health: scrape.health() };
}

type Handler<K extends keyof EngineRequests> = (
  body: EngineRequests[K]['request'],
) => EngineRequests[K]['reply'] | Promise<EngineRequests[K]['reply']>;

/** Requests other than `query`, which is answered apart because its reply carries transfers. */
const handlers: { [K in Exclude<keyof EngineRequests, 'query'>]: Handler<K> } = {
  start() {
    scrape.start();
    return null;
  },
  async stop() {
    await scrape.stop();
    return null;
  },
  async 'update-targets'({ targets }) {
    await scrape.update(targets);
    return targetsReport();
  },
  'scrape-now': async ({ targetId }) => summary(await scrape.scrapeNow(targetId)),
  series: ({ matchers }) => head.select(matchers).map((series) => series.labels),
  'export-page': (request) => readExportPage(head, request),
  async close() {
    await scrape.stop();
    opened.close();
    return null;
  },
  'series-read': (request) =>
    answerSeriesRead({ head, metadata: () => scrape.metadata() }, request),
};

function wireError(err: unknown, isQuery: boolean): WireError {
  if (err instanceof TargetConfigError) {
    return { kind: 'target-config', field: err.field, reason: err.reason };
  }
  if (!isQuery) return { kind: 'error', message: errorMessage(err) };
  const q = toQueryError(err);
  return { kind: q.kind, message: q.message, position: q.position };
}

/** Runs one query to its end, a stop or an error: synchronous, so nothing else runs meanwhile. */
function answerQuery(id: number, q: EngineRequests['query']['request']): void {
  try {
    // A budget is counted on this thread's fine clock from now, so the hop here does not count.
    const budget = q.budgetMs;
    const stop = queryStop({
      flag: { cells: stopFlags, index: q.slot },
      ...(budget === undefined
        ? { deadlineMs: q.deadlineMs }
        : { deadlineMs: performance.now() + budget, now: () => performance.now() }),
    });
    const stats = q.stats ? emptyQueryStats() : undefined;
    const result =
      q.kind === 'instant'
        ? engine.instant(q.expr, q.timeMs, { stop, stats })
        : engine.range(q.expr, q.startMs, q.endMs, q.stepMs, { stop, stats });
    const { columns, transfer } = toColumns(result);
    post({ type: 'reply', id, ok: true, body: stats ? { ...columns, stats } : columns }, transfer);
  } catch (err) {
    post({ type: 'reply', id, ok: false, error: wireError(err, true) });
  }
}

async function handle(m: RequestMessage): Promise<void> {
  if (m.name === 'query') return answerQuery(m.id, m.body);
  try {
    const handler = handlers[m.name] as Handler<typeof m.name>;
    const body = await handler(m.body as never);
    post({ type: 'reply', id: m.id, ok: true, body });
  } catch (err) {
    post({ type: 'reply', id: m.id, ok: false, error: wireError(err, false) });
  }
}

port.on('message', (m: RequestMessage) => {
  void handle(m);
});

// Retention and the head's size for `/metrics` are the worker's own chores.
setInterval(() => opened.retention(Date.now()), 60_000).unref();
setInterval(() => {
  const disk = opened.diskStats();
  post({
    type: 'head-stats',
    stats: disk === undefined ? head.stats() : { ...head.stats(), diskBytes: disk.diskBytes },
  });
}, init.statsEveryMs).unref();

post({ type: 'ready', ...targetsReport() });
