/** A query worker's entry: PromQL over a view of the head the engine worker writes, one query at a time. */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../shared/error-message.js';
import { readExportPage } from '../feeds/export-page.js';
import { PromqlEngine, queryStop } from '../promql/index.js';
import { emptyQueryStats } from '../promql/query-stats.js';
import { toQueryError } from '../source/embedded-source.js';
import { HeadShare } from '../store/share/head-share.js';
import { HeadView } from '../store/share/head-view.js';
import { toColumns } from './columnar-result.js';
import type {
  QueryWorkerInit,
  QueryWorkerMessage,
  QueryWorkerRequests,
  RequestMessage,
  WireError,
} from './protocol.js';

const port = parentPort;
if (!port) throw new Error('query-worker.ts runs as a worker thread, not on its own');
const init = workerData as QueryWorkerInit;
const stopFlags = new Int32Array(init.stopFlags);

function post(message: QueryWorkerMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

/**
 * Lowers this thread's CPU priority by `nice`, so on a busy machine the scraper and the KPI
 * rounds run first. Linux gives each thread its own nice value, set through its thread id.
 */
function lowerPriority(nice: number): void {
  if (nice <= 0) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid)) setPriority(tid, nice);
  } catch {
    // Not Linux: the thread runs at the process's priority.
  }
}
lowerPriority(init.nice);

const view = new HeadView({
  port: init.port,
  share: new HeadShare(init.share),
  reader: init.reader,
  chunkDir: init.chunkDir,
  log: (line) => console.error(`kpi-lights: ${line}`),
});
// Bounded in the worker, so an oversized answer is never built, transferred or serialised.
const engine = new PromqlEngine(view, {
  ...(init.maxSamples !== undefined && { maxSamples: init.maxSamples }),
  ...(init.maxResultBytes !== undefined && { maxResultBytes: init.maxResultBytes }),
});

/** Runs one read with the reader's epoch held, so nothing it reads is reused under it. */
function reading<T>(read: () => T): T {
  view.begin();
  try {
    return read();
  } finally {
    view.end();
  }
}

/** Runs one query to its end, a stop or an error: synchronous, so nothing else runs meanwhile. */
function answerQuery(id: number, q: QueryWorkerRequests['query']['request']): void {
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
    const result = reading(() =>
      q.kind === 'instant'
        ? engine.instant(q.expr, q.timeMs, { stop, stats })
        : engine.range(q.expr, q.startMs, q.endMs, q.stepMs, { stop, stats }),
    );
    const { columns, transfer } = toColumns(result);
    post({ type: 'reply', id, ok: true, body: stats ? { ...columns, stats } : columns }, transfer);
  } catch (err) {
    const e = toQueryError(err);
    const error: WireError = { kind: e.kind, message: e.message, position: e.position };
    post({ type: 'reply', id, ok: false, error });
  }
}

/** The requests other than `query`, which is answered apart because its reply carries transfers. */
const reads: {
  [K in Exclude<keyof QueryWorkerRequests, 'query'>]: (
    body: QueryWorkerRequests[K]['request'],
  ) => QueryWorkerRequests[K]['reply'];
} = {
  series: ({ matchers }) => view.select(matchers).map((s) => s.labels),
  'export-page': (request) => readExportPage(view, request),
};

function answer(m: RequestMessage<QueryWorkerRequests>): void {
  if (m.name === 'query') {
    answerQuery(m.id, m.body as QueryWorkerRequests['query']['request']);
    return;
  }
  try {
    const read = reads[m.name] as (body: unknown) => unknown;
    const body = reading(() => read(m.body));
    post({ type: 'reply', id: m.id, ok: true, body });
  } catch (err) {
    const error: WireError = { kind: 'error', message: errorMessage(err) };
    post({ type: 'reply', id: m.id, ok: false, error });
  }
}

port.on('message', (m: RequestMessage<QueryWorkerRequests>) => answer(m));
void view.attached.then(() => post({ type: 'ready' }));
