/** The engine worker's entry: scraping, the head store and the PromQL engine, off the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../shared/error-message.js';
import { createEngineCore, type EngineCore } from '../compose/engine-core.js';
import { readExportPage } from '../feeds/export-page.js';
import { PromqlEngine, queryStop } from '../promql/index.js';
import { type ScrapeReport, type ScrapeSummary, TargetConfigError } from '../scrape/index.js';
import { toQueryError } from '../source/embedded-source.js';
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
let core: EngineCore;
try {
  core = createEngineCore({
    targets: init.targets,
    storage: init.storage,
    headRetentionMs: init.headRetentionMs,
    maxSeries: init.maxSeries,
    log: (line) => console.error(`kpi-lights: ${line}`),
    onScrape: (report, loop) =>
      post({
        type: 'scraped',
        job: loop.target.job,
        health: loop.health(),
        report: summary(report),
      }),
  });
} catch (err) {
  post({ type: 'fatal', message: `the sample store cannot be opened: ${errorMessage(err)}` });
  throw err;
}
const { head, scrape } = core;
// Bounded in the worker, so an oversized answer is never built, transferred or serialised.
const engine = new PromqlEngine(head, {
  ...(init.maxSamples !== undefined && { maxSamples: init.maxSamples }),
  ...(init.maxResultBytes !== undefined && { maxResultBytes: init.maxResultBytes }),
});

function summary(report: ScrapeReport): ScrapeSummary {
  const { error, ...rest } = report;
  return { ...rest, error: error && { kind: error.kind, message: error.message } };
}

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
    await core.close();
    return null;
  },
};

function wireError(err: unknown, isQuery: boolean): WireError {
  if (err instanceof TargetConfigError) {
    return { kind: 'target-config', field: err.field, reason: err.reason };
  }
  if (!isQuery) return { kind: 'error', message: errorMessage(err) };
  const q = toQueryError(err);
  return { kind: q.kind, message: q.message };
}

/** Runs one query to its end, a stop or an error: synchronous, so nothing else runs meanwhile. */
function answerQuery(id: number, q: EngineRequests['query']['request']): void {
  try {
    const stop = queryStop({ flag: { cells: stopFlags, index: q.slot }, deadlineMs: q.deadlineMs });
    const result =
      q.kind === 'instant'
        ? engine.instant(q.expr, q.timeMs, { stop })
        : engine.range(q.expr, q.startMs, q.endMs, q.stepMs, { stop });
    const { columns, transfer } = toColumns(result);
    post({ type: 'reply', id, ok: true, body: columns }, transfer);
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

// The head's size for `/metrics` is the worker's own chore.
setInterval(() => post({ type: 'head-stats', stats: core.headStats() }), init.statsEveryMs).unref();

post({ type: 'ready', ...targetsReport() });
