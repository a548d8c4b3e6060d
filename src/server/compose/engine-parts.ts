/** The engine side of a server (scraping, head, PromQL): in a worker thread, or in this one. */
import type { ReadinessCheck } from '../api/routes/health.js';
import { createEngineCore } from '../engine-worker/engine-core.js';
import { EngineWorkerHost, type EngineWorkerOptions } from '../engine-worker/engine-worker-host.js';
import { type ExportPage, type ExportPageRequest, readExportPage } from '../feeds/export-page.js';
import { type ScrapeControl, toTargetHealth } from '../scrape/index.js';
import { localSeriesReader } from '../series-reads/read-head.js';
import type { SeriesReader } from '../series-reads/series-reads.js';
import type { QuerySource } from '../source/index.js';
import type { HeadStats, MemoryHead } from '../store/index.js';

/**
 * Options of {@link createEngineParts}: the engine's, as the worker's host takes them (and the
 * in-thread engine honours the same), and where it runs.
 */
export interface EnginePartsOptions
  extends Pick<
    EngineWorkerOptions,
    | 'targets'
    | 'headRetentionMs'
    | 'storage'
    | 'maxSeries'
    | 'maxSamples'
    | 'maxResultBytes'
    | 'maxConcurrency'
    | 'queryWorkers'
    | 'onScrape'
    | 'report'
  > {
  /** Run scraping, the head and the engine in a worker thread. */
  readonly worker: boolean;
}

/** What the rest of the server reads of the engine, wherever it runs. */
export interface EngineParts {
  /** The API's queries. */
  readonly source: QuerySource;
  /** The KPI and alert rounds' queries: their own lane, never queued behind the API's. */
  readonly kpiSource: QuerySource;
  readonly scrape: ScrapeControl;
  /** Prometheus's label, series and metadata reads of the head; absent without a head (a remote source). */
  readonly reader?: SeriesReader;
  /** The head, when it lives in this thread. */
  readonly head?: MemoryHead;
  /** The worker's host, when there is one. */
  readonly worker?: EngineWorkerHost;
  /** The head's size; absent when there is no head (a remote source). */
  headStats?(): HeadStats;
  /** One page of the raw sample export, where the head is; absent without a head. */
  exportPage?(request: ExportPageRequest): Promise<ExportPage>;
  /** `/readyz` checks of the engine. */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** Stops the engine for good (after the scrape loops have stopped). */
  close(): Promise<void>;
}

/**
 * Builds the engine side. With `worker`, scraping and the head run in the engine worker and
 * queries in query workers (a lane for the KPI rounds, a pool for the API); this waits until
 * they are ready, and throws if they cannot start. Otherwise the head, scraper and engine share
 * the main thread, as tests that want no worker do.
 *
 * @example
 * ```ts
 * const engine = await createEngineParts({ worker: true, targets: scrapeTargetsOf(policy) });
 * const r = await engine.source.instant('up', Date.now());
 * await engine.close();
 * ```
 */
export async function createEngineParts(options: EnginePartsOptions): Promise<EngineParts> {
  if (options.worker) {
    const host = new EngineWorkerHost(options);
    try {
      await host.whenReady();
    } catch (err) {
      await host.close();
      throw err;
    }
    return {
      source: host.source,
      kpiSource: host.kpiSource,
      scrape: host,
      reader: host.reader,
      worker: host,
      headStats: () => host.headStats(),
      exportPage: (request) => host.exportPage(request),
      readiness: { engine: () => host.ready() },
      close: () => host.close(),
    };
  }
  const core = createEngineCore({
    ...options,
    onScrape: (report, loop) => options.onScrape?.(report, loop.target.job),
    ...(options.report && { log: (line: string) => options.report?.(line) }),
  });
  const { head, scrape } = core;
  // Loaded here, not at the top: a server on the worker never loads the engine in this thread.
  const [{ PromqlEngine }, { createEmbeddedSource }] = await Promise.all([
    import('../promql/index.js'),
    import('../source/index.js'),
  ]);
  const engine = new PromqlEngine(head, {
    ...(options.maxSamples !== undefined && { maxSamples: options.maxSamples }),
    ...(options.maxResultBytes !== undefined && { maxResultBytes: options.maxResultBytes }),
  });
  // One thread, one engine: in process, the rounds and the API share it.
  const source = createEmbeddedSource(engine, {
    head,
    targets: () => scrape.health().map(toTargetHealth),
  });
  return {
    source,
    kpiSource: source,
    scrape,
    reader: localSeriesReader({ head, metadata: () => scrape.metadata() }),
    head,
    headStats: () => core.headStats(),
    exportPage: async (request) => readExportPage(head, request),
    readiness: {},
    close: () => core.close(),
  };
}
