/** The engine worker's entry: scraping and the head store, off the main thread; query workers read the head it writes. */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../shared/error-message.js';
import { type ScrapeReport, type ScrapeSummary, TargetConfigError } from '../scrape/index.js';
import { answerSeriesRead } from '../series-reads/read-head.js';
import { HeadFeed } from '../store/share/head-feed.js';
import { HeadShare } from '../store/share/head-share.js';
import { createEngineCore, type EngineCore } from './engine-core.js';
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

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

function summary(report: ScrapeReport): ScrapeSummary {
  const { error, ...rest } = report;
  return { ...rest, error: error && { kind: error.kind, message: error.message } };
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
const { scrape } = core;
// From here on the head retires memory by the query workers' epochs and tells them of series.
const feed = new HeadFeed(core.head, new HeadShare(init.share));

function targetsReport(): TargetsReport {
  return { targets: scrape.targets(), health: scrape.health() };
}

type Handler<K extends keyof EngineRequests> = (
  body: EngineRequests[K]['request'],
) => EngineRequests[K]['reply'] | Promise<EngineRequests[K]['reply']>;

const handlers: { [K in keyof EngineRequests]: Handler<K> } = {
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
  'attach-reader': ({ reader, port }) => {
    feed.attach(reader, port);
    return null;
  },
  async close() {
    await core.close();
    return null;
  },
  // On the writer's thread, beside the scraper's metadata it also reads.
  'series-read': (request) =>
    answerSeriesRead({ head: core.head, metadata: () => scrape.metadata() }, request),
};

function wireError(err: unknown): WireError {
  if (err instanceof TargetConfigError) {
    return { kind: 'target-config', field: err.field, reason: err.reason };
  }
  return { kind: 'error', message: errorMessage(err) };
}

async function handle(m: RequestMessage): Promise<void> {
  try {
    const handler = handlers[m.name] as Handler<typeof m.name>;
    const body = await handler(m.body as never);
    post({ type: 'reply', id: m.id, ok: true, body });
  } catch (err) {
    post({ type: 'reply', id: m.id, ok: false, error: wireError(err) });
  }
}

port.on('message', (m: RequestMessage) => {
  void handle(m);
});

// The head's size for `/metrics` is the worker's own chore.
setInterval(() => post({ type: 'head-stats', stats: core.headStats() }), init.statsEveryMs).unref();

post({ type: 'ready', ...targetsReport() });
