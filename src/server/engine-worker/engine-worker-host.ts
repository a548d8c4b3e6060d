/** The main thread's side of the engine worker and its query workers: two QuerySources, a scrape control, health, restarts. */

import { join } from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import { backoffDelay } from '../../sdk/backoff.js';
import { errorMessage } from '../../shared/error-message.js';
import type { ExportPage, ExportPageRequest } from '../feeds/export-page.js';
import { realTimers, type TimerHandle, type Timers } from '../schedule/index.js';
import type {
  ScrapeControl,
  ScrapeHealth,
  ScrapeSummary,
  ScrapeTarget,
  ScrapeTargetOptions,
} from '../scrape/index.js';
import { onSchedule, toTargetHealth } from '../scrape/target-health.js';
import type { SeriesReader } from '../series-reads/series-reads.js';
import { QueryError } from '../source/query-error.js';
import type { QuerySource } from '../source/query-source.js';
import type { StorageSettings } from '../store/disk/sample-storage.js';
import { HeadShare } from '../store/share/head-share.js';
import type { HeadStats } from '../store/types.js';
import { type Pending, PendingReplies } from './pending-replies.js';
import type {
  EngineRequestName,
  EngineRequests,
  EngineWorkerInit,
  RequestMessage,
  TargetsReport,
  WorkerMessage,
} from './protocol.js';
import { QueryLanes } from './query-lanes.js';
import { startEngineWorker } from './worker-entry.js';

/** Options of {@link EngineWorkerHost}. Only `targets` is required. */
export interface EngineWorkerOptions {
  readonly targets: readonly ScrapeTargetOptions[];
  /**
   * How long samples stay in the head, ms. Default the head's (2 h). With `storage` (samples
   * on disk), how long full chunks stay in memory too.
   */
  readonly headRetentionMs?: number;
  /** Keep samples on disk; the worker replays them before it is ready. */
  readonly storage?: StorageSettings;
  readonly maxSeries?: number;
  /** Prometheus's `--query.max-samples`. Default 50 000 000. */
  readonly maxSamples?: number;
  /** `--query.max-result-bytes`: the most a query's labels and answer may take. Default 32 MiB. */
  readonly maxResultBytes?: number;
  /** API queries admitted at once (`--query.max-concurrency`); the rest wait. Default 20. */
  readonly maxConcurrency?: number;
  /**
   * Query workers for the API (`--query.workers`). Default one less than the cores, 1 to 4, at
   * most `maxConcurrency`. The KPI and alert rounds have one more of their own.
   */
  readonly queryWorkers?: number;
  /** Called on the main thread after each finished scrape, e.g. for the server's own metrics. */
  readonly onScrape?: (report: ScrapeSummary, job: string) => void;
  /** First and longest wait before restarting a worker that died, ms. Default 100 and 10 000. */
  readonly restartDelayMs?: { readonly first: number; readonly max: number };
  /** Where a dead worker is reported. Default `console.error`. */
  readonly report?: (message: string, err?: unknown) => void;
  /** Timers of the restart backoff. Default the real ones. */
  readonly timers?: Timers;
}

/** The longest `close` waits for the worker to close its sample store, ms. */
const CLOSE_WAIT_MS = 30_000;

/** `starting` until the first worker is ready; `restarting` while a dead one is replaced. */
export type EngineState = 'starting' | 'running' | 'restarting' | 'closed';

const EMPTY_STATS: HeadStats = {
  series: 0,
  samples: 0,
  bytes: 0,
  bytesPerSeries: 0,
  bytesPerSample: 0,
  oldestMs: null,
  newestMs: null,
};

/** A healthy spell this long resets the restart backoff. */
const BACKOFF_RESET_MS = 30_000;

/**
 * Runs scraping and the head in the engine worker, and PromQL in query workers that read the
 * head's shared memory (`QueryLanes`): a scrape never waits on a query, and an expensive query
 * or a flood of samples never costs a reader's latency. The main thread gets two
 * `QuerySource`s, `kpiSource` for the KPI and alert rounds and `source` for the API, and the
 * scraper's controls; target health and head stats are pushed by the engine worker and cached
 * here, so `health()` and `headStats()` answer synchronously.
 *
 * An engine worker that dies is reported, the query workers reading its head end with it,
 * queries in flight reject with `QueryError` (`unavailable`, "engine worker restarting"), and a
 * new one is started after a backoff with the current targets; it replays the sample store
 * before the query workers start again.
 *
 * @example
 * ```ts
 * const engine = new EngineWorkerHost({ targets: scrapeTargetsOf(policy) });
 * await engine.whenReady();
 * engine.start();
 * await engine.source.instant('up', Date.now());
 * await engine.close();
 * ```
 */
export class EngineWorkerHost implements ScrapeControl {
  /** The API's queries: a pool of query workers, `--query.max-concurrency` admitted at once. */
  readonly source: QuerySource;
  /** The KPI and alert rounds' queries: a query worker of their own. */
  readonly kpiSource: QuerySource;
  readonly lanes: QueryLanes;
  /** Prometheus's label, series and metadata reads, answered in the engine worker where the head is. */
  readonly reader: SeriesReader = {
    read: (read, body) => this.#call('series-read', { read, body } as never) as never,
  };
  readonly #options: EngineWorkerOptions;
  readonly #timers: Timers;
  readonly #pending = new PendingReplies();
  #worker: Worker | undefined;
  #state: EngineState = 'starting';
  #targetOptions: readonly ScrapeTargetOptions[];
  #report: TargetsReport = { targets: [], health: [] };
  #healthIndex = new Map<string, number>();
  #stats: HeadStats = EMPTY_STATS;
  #started = false;
  #attempt = 0;
  #restarts = 0;
  #readyAt = 0;
  #restartTimer: TimerHandle | undefined;
  /** The share of the engine worker's head with the query workers; a new one per worker. */
  #share: HeadShare | undefined;
  /** Why the worker said it cannot start, if it did. */
  #fatal: string | undefined;
  #firstReady: { promise: Promise<void>; resolve(): void; reject(err: Error): void };

  constructor(options: EngineWorkerOptions) {
    this.#options = options;
    this.#targetOptions = options.targets;
    this.#timers = options.timers ?? realTimers;
    let resolve = () => {};
    let reject: (err: Error) => void = () => {};
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    this.#firstReady = { promise, resolve, reject };
    this.lanes = new QueryLanes({
      maxConcurrency: options.maxConcurrency,
      queryWorkers: options.queryWorkers,
      maxSamples: options.maxSamples,
      maxResultBytes: options.maxResultBytes,
      restartDelayMs: options.restartDelayMs ?? { first: 100, max: 10_000 },
      report: (message, err) => this.#reportError(message, err),
      timers: this.#timers,
      attach: (reader, port) => this.#attach(reader, port),
      engineUnavailable: () => this.#availability(),
      targets: () => this.health().map(toTargetHealth),
    });
    this.source = this.lanes.apiSource;
    this.kpiSource = this.lanes.kpiSource;
    this.#spawn();
  }

  /** Resolves when the first worker can take requests; rejects if it could not start at all. */
  whenReady(): Promise<void> {
    return this.#firstReady.promise;
  }

  /**
   * True while the engine worker is up and the KPI lane answers: the server's `/readyz` check.
   * (API query workers restart on their own and say so to the queries they refuse.)
   */
  ready(): boolean {
    return this.#state === 'running' && this.lanes.kpi.ready();
  }

  state(): EngineState {
    return this.#state;
  }

  /** Engine workers started after the first one died. */
  restarts(): number {
    return this.#restarts;
  }

  start(): void {
    this.#started = true;
    if (this.#state === 'running') this.#fireAndForget('start');
  }

  async stop(): Promise<void> {
    this.#started = false;
    if (this.#state !== 'running') return;
    await this.#call('stop', {}).catch(() => {});
  }

  async update(targets: readonly ScrapeTargetOptions[]): Promise<void> {
    this.#setTargets(await this.#call('update-targets', { targets }));
    this.#targetOptions = targets;
  }

  /**
   * The targets' health as the engine worker last reported it, judged by this thread's clock
   * while scraping runs: a target whose scrapes stopped coming (the worker is stuck, starved or
   * dead) reads `down` with its missed slots, never a stale `up`.
   */
  health(): ScrapeHealth[] {
    if (!this.#started) return [...this.#report.health];
    const now = this.#timers.now();
    return this.#report.health.map((h) => onSchedule(h, now));
  }

  targets(): ScrapeTarget[] {
    return [...this.#report.targets];
  }

  scrapeNow(targetId: string): Promise<ScrapeSummary> {
    return this.#call('scrape-now', { targetId });
  }

  /** The head's size as the worker last reported it (each second). */
  headStats(): HeadStats {
    return this.#stats;
  }

  /** One page of the raw sample export, read by an API query worker. */
  exportPage(request: ExportPageRequest): Promise<ExportPage> {
    const refused = this.#availability() ?? this.lanes.api.unavailable();
    if (refused !== undefined) return Promise.reject(new QueryError('unavailable', refused));
    return this.lanes.api.call('export-page', request);
  }

  /** Ends the worker as a crash would; the host restarts it. For tests and drills. */
  async kill(): Promise<void> {
    await this.#worker?.terminate();
  }

  /**
   * Stops the worker for good and rejects whatever still waits on it. A running worker first
   * closes its sample store (a last commit and checkpoint), for at most 30 s. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    if (this.#state === 'running') {
      let timer: TimerHandle | undefined;
      const late = new Promise<void>((resolve) => {
        timer = this.#timers.setTimeout(resolve, CLOSE_WAIT_MS);
      });
      await Promise.race([this.#call('close', {}).catch(() => {}), late]);
      this.#timers.clearTimeout(timer);
      // Another close ran meanwhile.
      if ((this.#state as EngineState) === 'closed') return;
    }
    this.#state = 'closed';
    this.#timers.clearTimeout(this.#restartTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failPending('engine worker closed');
    this.#firstReady.reject(new Error('engine worker closed'));
    await Promise.all([this.lanes.close(), worker?.terminate()]);
  }

  #availability(): string | undefined {
    if (this.#state === 'running') return undefined;
    return this.#state === 'starting' ? 'engine worker starting' : `engine worker ${this.#state}`;
  }

  #spawn(): void {
    this.#share = HeadShare.create();
    const init: EngineWorkerInit = {
      targets: this.#targetOptions,
      headRetentionMs: this.#options.headRetentionMs,
      storage: this.#options.storage,
      maxSeries: this.#options.maxSeries,
      share: this.#share.buffer,
      statsEveryMs: 1_000,
    };
    const worker = startEngineWorker(init);
    this.#worker = worker;
    worker.on('message', (m: WorkerMessage) => this.#onMessage(m));
    worker.on('error', (err) => this.#reportError('engine worker failed', err));
    worker.on('exit', (code) => this.#onExit(worker, code));
  }

  #onMessage(m: WorkerMessage): void {
    switch (m.type) {
      case 'ready': {
        this.#setTargets(m);
        this.#state = 'running';
        this.#readyAt = this.#timers.now();
        const storage = this.#options.storage;
        this.lanes.start(this.#share!, storage && join(storage.dir, 'chunks'));
        this.lanes.whenReady().then(
          () => this.#firstReady.resolve(),
          (err: Error) => this.#firstReady.reject(err),
        );
        if (this.#started) this.#fireAndForget('start');
        return;
      }
      case 'scraped': {
        const i = this.#healthIndex.get(m.health.id);
        if (i !== undefined) this.#report.health[i] = m.health;
        try {
          this.#options.onScrape?.(m.report, m.job);
        } catch {
          // An observer's bug must not cost the next scrape's health.
        }
        return;
      }
      case 'head-stats':
        this.#stats = m.stats;
        return;
      case 'fatal':
        this.#fatal = m.message;
        return;
      case 'reply':
        this.#pending.answer(m);
    }
  }

  #onExit(worker: Worker, code: number): void {
    if (worker !== this.#worker) return;
    this.#worker = undefined;
    if (this.#state === 'closed') return;
    if (this.#state === 'starting' && this.#restarts === 0) {
      // The very first worker never came up: a broken install, not a crash to ride out.
      this.#state = 'closed';
      void this.lanes.close();
      this.#failPending('engine worker could not start');
      this.#firstReady.reject(
        new Error(this.#fatal ?? `engine worker exited with code ${code} before it was ready`),
      );
      return;
    }
    if (this.#timers.now() - this.#readyAt > BACKOFF_RESET_MS) this.#attempt = 0;
    const { first, max } = this.#options.restartDelayMs ?? { first: 100, max: 10_000 };
    const delay = backoffDelay(this.#attempt, first, max);
    this.#attempt++;
    this.#state = 'restarting';
    this.#failPending('engine worker restarting');
    void this.lanes.stop('engine worker restarting');
    const why = this.#fatal === undefined ? '' : ` (${this.#fatal})`;
    this.#fatal = undefined;
    this.#reportError(`engine worker exited with code ${code}${why}; restarting in ${delay} ms`);
    this.#restartTimer = this.#timers.setTimeout(() => {
      if (this.#state !== 'restarting') return;
      this.#restarts++;
      this.#spawn();
    }, delay);
  }

  #failPending(why: string): void {
    this.#pending.failAll(why);
  }

  #setTargets(report: TargetsReport): void {
    this.#report = { targets: [...report.targets], health: [...report.health] };
    this.#healthIndex = new Map(report.health.map((h, i) => [h.id, i]));
  }

  /** Asks the engine worker to feed query worker `reader` on `port`. */
  #attach(reader: number, port: MessagePort): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#send('attach-reader', { reader, port }, { resolve: () => resolve(), reject }, [port]);
    });
  }

  #send<K extends EngineRequestName>(
    name: K,
    body: EngineRequests[K]['request'],
    pending: Pending,
    transfer: MessagePort[] = [],
  ): void {
    const worker = this.#worker;
    if (!worker || this.#state !== 'running') {
      pending.settle?.();
      pending.reject(new QueryError('unavailable', this.#availability() ?? 'engine worker gone'));
      return;
    }
    const id = this.#pending.add(pending);
    worker.postMessage({ type: 'request', id, name, body } as RequestMessage, transfer);
  }

  #call<K extends EngineRequestName>(
    name: K,
    body: EngineRequests[K]['request'],
  ): Promise<EngineRequests[K]['reply']> {
    return new Promise((resolve, reject) => {
      this.#send(name, body, {
        resolve: (b) => resolve(b as EngineRequests[K]['reply']),
        reject,
      });
    });
  }

  #fireAndForget(name: 'start'): void {
    this.#call(name, {}).catch((err: unknown) => this.#reportError(`engine worker ${name}`, err));
  }

  #reportError(message: string, err?: unknown): void {
    const report =
      this.#options.report ??
      ((m: string, e?: unknown) => console.error(`kpi-lights: ${m}`, e ? errorMessage(e) : ''));
    report(message, err);
  }
}
