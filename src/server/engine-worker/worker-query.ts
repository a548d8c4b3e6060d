/** One query sent to a query worker: a slot, a deadline, a cancel through shared memory. */
import type { QueryStats } from '../promql/query-stats.js';
import { STOP_CANCELED, STOP_TIMEOUT } from '../promql/query-stop.js';
import type { QueryResult } from '../promql/result.js';
import { QueryError } from '../source/query-error.js';
import type { QueryOptions } from '../source/query-source.js';
import { fromColumns } from './columnar-result.js';
import type { ColumnarResult, QueryRequest, WorkerQuery } from './protocol.js';
import type { QuerySlots } from './query-slots.js';

/**
 * How long past its deadline a query in the worker may take to answer before it is given up:
 * the hop each way, and the worker reaching its next stop check.
 */
const WORKER_GRACE_MS = 250;

/** What a query needs of the host. */
export interface WorkerQueryDeps {
  readonly slots: QuerySlots;
  /** Why queries cannot be sent now, or `undefined` when they can. */
  readonly available: () => string | undefined;
  /** Posts the query; `settle` runs once the worker is done with it (answered or died). */
  readonly send: (
    body: QueryRequest,
    pending: {
      resolve(body: unknown): void;
      reject(err: Error): void;
      settle(): void;
    },
  ) => void;
}

function timedOut(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return true;
  return reason instanceof QueryError && reason.kind === 'timeout';
}

/**
 * Sends one query to the worker and answers its result. It waits for one of the slots
 * (`--query.max-concurrency`), then the worker evaluates it while polling the slot's flag and
 * the deadline. A timeout or an abort rejects at once with Prometheus's words (`query timed out
 * in query queue` / `in expression evaluation`, `query was canceled in …`) and sets the flag, so
 * the worker drops the query within a poll; the slot is freed when the worker lets go of it.
 *
 * @example
 * ```ts
 * const r = await runWorkerQuery(deps, { kind: 'instant', expr: 'up', timeMs: Date.now() }, { timeoutMs: 5_000 });
 * ```
 */
export function runWorkerQuery(
  deps: WorkerQueryDeps,
  query: WorkerQuery,
  opts: QueryOptions = {},
): Promise<QueryResult> {
  const unavailable = deps.available();
  if (unavailable) return Promise.reject(new QueryError('unavailable', unavailable));
  const { signal } = opts;
  const deadlineMs = opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs;
  return new Promise<QueryResult>((resolve, reject) => {
    const queuedAt = performance.now();
    const waiting = deps.slots.acquire();
    let slot: number | undefined;
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    function finish(err: Error | undefined, result?: QueryResult): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (slot === undefined) waiting.cancel();
      if (err) reject(err);
      else resolve(result as QueryResult);
    }
    function stop(timeout: boolean): void {
      const phase = slot === undefined ? 'query queue' : 'expression evaluation';
      if (slot !== undefined)
        Atomics.store(deps.slots.flags, slot, timeout ? STOP_TIMEOUT : STOP_CANCELED);
      finish(
        timeout
          ? new QueryError('timeout', `query timed out in ${phase}`)
          : new QueryError('canceled', `query was canceled in ${phase}`),
      );
    }
    function onAbort(): void {
      stop(signal !== undefined && timedOut(signal));
    }

    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => stop(true), Math.max(0, opts.timeoutMs));
      timer.unref();
    }
    waiting.slot.then((s) => {
      if (done) {
        deps.slots.release(s);
        return;
      }
      slot = s;
      if (opts.stats) opts.stats.queueMs = performance.now() - queuedAt;
      // The worker now holds what is left of the time, counted from when it starts the query,
      // and checks it between steps: the hop there does not count, so a cheap query answers
      // even with `timeout=1ms`. This timer only ends a worker that cannot answer.
      const budgetMs =
        opts.timeoutMs === undefined
          ? undefined
          : Math.max(0, opts.timeoutMs - (performance.now() - queuedAt));
      if (timer !== undefined && budgetMs !== undefined) {
        clearTimeout(timer);
        timer = setTimeout(() => stop(true), budgetMs + WORKER_GRACE_MS);
        timer.unref();
      }
      deps.send(
        { ...query, slot: s, deadlineMs, budgetMs, ...(opts.stats && { stats: true }) },
        {
          resolve: (body) => {
            const reply = body as ColumnarResult & { readonly stats?: QueryStats };
            if (opts.stats && reply.stats)
              Object.assign(opts.stats, reply.stats, { queueMs: opts.stats.queueMs });
            finish(undefined, fromColumns(reply));
          },
          reject: (err) => finish(err),
          settle: () => deps.slots.release(s),
        },
      );
    });
  });
}
