/** The two lanes of queries over the shared head: one worker for the KPI and alert rounds, a pool for the API. */
import { availableParallelism } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import type { TargetHealth } from '../../sdk/types.js';
import type { QueryResult } from '../promql/result.js';
import type { Timers } from '../schedule/index.js';
import { QueryError } from '../source/query-error.js';
import type { QueryOptions, QuerySource } from '../source/query-source.js';
import type { HeadShare } from '../store/share/head-share.js';
import type { WorkerQuery } from './protocol.js';
import { QueryPool } from './query-pool.js';
import { QuerySlots } from './query-slots.js';
import { runWorkerQuery } from './worker-query.js';

/** Options of {@link QueryLanes}. */
export interface QueryLanesOptions {
  /** API queries admitted at once (`--query.max-concurrency`); the rest wait. Default 20. */
  readonly maxConcurrency?: number;
  /** API query workers (`--query.workers`). Default {@link defaultQueryWorkers}. */
  readonly queryWorkers?: number;
  readonly maxSamples?: number;
  readonly maxResultBytes?: number;
  readonly restartDelayMs: { readonly first: number; readonly max: number };
  readonly report: (message: string, err?: unknown) => void;
  readonly timers: Timers;
  /** Asks the engine worker to tell a new reader of the head on this port. */
  readonly attach: (reader: number, port: MessagePort) => Promise<void>;
  /** Why the engine worker cannot be read now (starting, restarting), or `undefined`. */
  readonly engineUnavailable: () => string | undefined;
  /** The targets' health, cached on this thread. */
  readonly targets: () => TargetHealth[];
}

/** Stop flags of the KPI lane: a round's queries wait in line for its one worker. */
const KPI_LANE_SLOTS = 64;
/** The API workers' CPU priority below the process's (a nice increment; Linux). */
const API_NICE = 10;

/**
 * API query workers by default: one less than the cores, so a core stays for the scraper and
 * the KPI lane when every API worker is busy; at least 1, at most 4.
 */
export function defaultQueryWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Two pools of query workers over the same head. The KPI and alert rounds query through
 * `kpiSource`, on a worker of their own at the process's priority; the API's queries go through
 * `apiSource`, to a pool of `queryWorkers` at a lower priority, admitted `maxConcurrency` at a
 * time. However many hostile queries the API runs, the rounds never wait behind them.
 *
 * @example
 * ```ts
 * const lanes = new QueryLanes({ …, attach: (reader, port) => host.attach(reader, port) });
 * lanes.start(share, chunkDir);
 * await lanes.whenReady();
 * await lanes.kpiSource.instant('up', Date.now());
 * ```
 */
export class QueryLanes {
  readonly kpi: QueryPool;
  readonly api: QueryPool;
  readonly kpiSource: QuerySource;
  readonly apiSource: QuerySource;

  constructor(options: QueryLanesOptions) {
    const maxConcurrency = options.maxConcurrency ?? 20;
    const common = {
      maxSamples: options.maxSamples,
      maxResultBytes: options.maxResultBytes,
      attach: options.attach,
      restartDelayMs: options.restartDelayMs,
      report: options.report,
      timers: options.timers,
    };
    this.kpi = new QueryPool({
      ...common,
      name: 'KPI query worker',
      size: 1,
      firstReader: 0,
      slots: new QuerySlots(KPI_LANE_SLOTS),
      nice: 0,
    });
    this.api = new QueryPool({
      ...common,
      name: 'API query worker',
      size: Math.min(maxConcurrency, options.queryWorkers ?? defaultQueryWorkers()),
      firstReader: 1,
      slots: new QuerySlots(maxConcurrency),
      nice: API_NICE,
    });
    this.kpiSource = laneSource(this.kpi, options);
    this.apiSource = laneSource(this.api, options);
  }

  /** Starts both pools over the head the engine worker now writes. */
  start(share: HeadShare, chunkDir?: string): void {
    this.kpi.start(share, chunkDir);
    this.api.start(share, chunkDir);
  }

  /** Resolves when both pools can take queries. */
  async whenReady(): Promise<void> {
    await Promise.all([this.kpi.whenReady(), this.api.whenReady()]);
  }

  /** Ends every query worker: the head they read is gone. */
  async stop(why: string): Promise<void> {
    await Promise.all([this.kpi.stop(why), this.api.stop(why)]);
  }

  async close(): Promise<void> {
    await Promise.all([this.kpi.close(), this.api.close()]);
  }
}

/** A `QuerySource` whose queries and series reads run on `pool`. */
function laneSource(pool: QueryPool, options: QueryLanesOptions): QuerySource {
  const available = () => options.engineUnavailable() ?? pool.unavailable();
  const query = (q: WorkerQuery, opts?: QueryOptions): Promise<QueryResult> =>
    runWorkerQuery(
      {
        slots: pool.slots,
        available,
        send: (body, pending) => pool.send('query', body, pending),
      },
      q,
      opts,
    );
  return {
    instant: (expr, time, opts) => query({ kind: 'instant', expr, timeMs: +time }, opts),
    range: (expr, start, end, stepMs, opts) =>
      query({ kind: 'range', expr, startMs: +start, endMs: +end, stepMs }, opts),
    series: (matchers) => {
      const refused = available();
      if (refused !== undefined) return Promise.reject(new QueryError('unavailable', refused));
      return pool.call('series', { matchers });
    },
    targets: async () => options.targets(),
  };
}
