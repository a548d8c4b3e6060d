/** The messages between the main thread, the engine worker (scraping, the head) and the query workers (PromQL). */

import type { MessagePort } from 'node:worker_threads';
import type { ExportPage, ExportPageRequest } from '../feeds/export-page.js';
import type { LabelMatcher, Labels } from '../model/model.js';
import type { QueryStats } from '../promql/query-stats.js';
import type {
  ScrapeHealth,
  ScrapeSummary,
  ScrapeTarget,
  ScrapeTargetOptions,
} from '../scrape/index.js';
import type { SeriesReadRequest } from '../series-reads/series-reads.js';
import type { QueryErrorKind } from '../source/query-error.js';
import type { StorageSettings } from '../store/disk/sample-storage.js';
import type { HeadStats } from '../store/types.js';

/** What the engine worker is started with (`workerData`). */
export interface EngineWorkerInit {
  readonly targets: readonly ScrapeTargetOptions[];
  /** How long samples stay in the head (in memory), ms; default the head's. */
  readonly headRetentionMs?: number;
  /** Keep samples on disk, replayed before `ready`; absent keeps them in memory only. */
  readonly storage?: StorageSettings;
  /** The head-wide series limit (`--max-series`). */
  readonly maxSeries?: number;
  /** The head's share with the query workers (`store/share/head-share.ts`). */
  readonly share: SharedArrayBuffer;
  /** How often the worker reports head stats, ms. */
  readonly statsEveryMs: number;
}

/** What a query worker is started with (`workerData`; `port` is transferred). */
export interface QueryWorkerInit {
  /** The port the engine worker tells this reader of arenas and series on. */
  readonly port: MessagePort;
  /** The head's share with its readers. */
  readonly share: SharedArrayBuffer;
  /** This reader's number: its pin in the share. */
  readonly reader: number;
  /** The chunk files, for samples no longer in memory; absent for a head in memory only. */
  readonly chunkDir?: string;
  /** One Int32 stop flag per query slot of its pool (`STOP_*` of `query-stop.ts`). */
  readonly stopFlags: SharedArrayBuffer;
  /** Prometheus's `--query.max-samples`. */
  readonly maxSamples?: number;
  /** `--query.max-result-bytes`. */
  readonly maxResultBytes?: number;
  /** How much lower than the process's this thread's CPU priority is (a nice increment; Linux). */
  readonly nice: number;
}

/** One query as the main thread asks it, times in epoch ms. */
export type WorkerQuery =
  | { readonly kind: 'instant'; readonly expr: string; readonly timeMs: number }
  | {
      readonly kind: 'range';
      readonly expr: string;
      readonly startMs: number;
      readonly endMs: number;
      readonly stepMs: number;
    };

/** One query as it crosses: the query, its stop slot, its deadline and what else it asks. */
export type QueryRequest = WorkerQuery & {
  readonly slot: number;
  readonly deadlineMs?: number;
  /**
   * The time left when the query was sent, ms. The worker counts it from when it starts the
   * query, so the hop to the worker is not part of the query's time; wins over `deadlineMs`.
   */
  readonly budgetMs?: number;
  /** Answer the query's costs beside its result (`stats=all`). */
  readonly stats?: boolean;
};

/**
 * A query result in columns: one Float64Array of times and one of values for all series,
 * `offsets[i]…offsets[i+1]` being series `i`'s points (a vector has one point per series).
 * The buffers are transferred, not copied; labels travel as plain objects.
 */
export type ColumnarResult =
  | {
      readonly resultType: 'vector' | 'matrix';
      readonly metrics: Labels[];
      readonly offsets: Uint32Array;
      readonly t: Float64Array;
      readonly v: Float64Array;
    }
  | { readonly resultType: 'scalar'; readonly t: number; readonly v: number }
  | { readonly resultType: 'string'; readonly t: number; readonly value: string };

/** Each request the main thread makes of the engine worker, with the body it sends and gets back. */
export interface EngineRequests {
  start: { request: Record<string, never>; reply: null };
  stop: { request: Record<string, never>; reply: null };
  'update-targets': {
    request: { readonly targets: readonly ScrapeTargetOptions[] };
    reply: TargetsReport;
  };
  'scrape-now': { request: { readonly targetId: string }; reply: ScrapeSummary };
  /** Start telling a query worker of the head on this port (transferred), after a snapshot. */
  'attach-reader': {
    request: { readonly reader: number; readonly port: MessagePort };
    reply: null;
  };
  /** Stop scraping and close the sample store (a last commit and checkpoint), before the worker ends. */
  close: { request: Record<string, never>; reply: null };
  /** One read of Prometheus's label, series and metadata API; the reply is that read's. */
  'series-read': { request: SeriesReadRequest; reply: unknown };
}

export type EngineRequestName = keyof EngineRequests;

/** Each request the main thread makes of a query worker. */
export interface QueryWorkerRequests {
  query: { request: QueryRequest; reply: ColumnarResult & { readonly stats?: QueryStats } };
  /** Label sets of the head's series matching every matcher (the seam's `series`). */
  series: { request: { readonly matchers: readonly LabelMatcher[] }; reply: Labels[] };
  /** One page of the raw sample export. */
  'export-page': { request: ExportPageRequest; reply: ExportPage };
}

export type QueryWorkerRequestName = keyof QueryWorkerRequests;

/** A request from the main thread to a worker of `R`'s kind; `id` pairs it with its reply. */
export type RequestMessage<R extends object = EngineRequests> = {
  [K in keyof R]: {
    readonly type: 'request';
    readonly id: number;
    readonly name: K;
    readonly body: R[K] extends { request: infer Q } ? Q : never;
  };
}[keyof R];

/** Why a request failed, in a form that survives the crossing. */
export type WireError =
  | { readonly kind: QueryErrorKind; readonly message: string; readonly position?: number }
  | { readonly kind: 'target-config'; readonly field: string; readonly reason: string }
  | { readonly kind: 'error'; readonly message: string };

/** The resolved targets and their health, in policy order. */
export interface TargetsReport {
  readonly targets: ScrapeTarget[];
  readonly health: ScrapeHealth[];
}

/** A worker's answer to one request. */
export type ReplyMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly body: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: WireError };

/** Everything a query worker sends: replies, and `ready` once it has the head's snapshot. */
export type QueryWorkerMessage = ReplyMessage | { readonly type: 'ready' };

/** Everything the engine worker sends. */
export type WorkerMessage =
  | ReplyMessage
  /** Once, when the worker can take requests (after replaying the sample store). */
  | ({ readonly type: 'ready' } & TargetsReport)
  /** Instead of `ready`, when the worker cannot start (the sample store cannot be opened). */
  | { readonly type: 'fatal'; readonly message: string }
  /** After each finished scrape: the target's new health and what the scrape did. */
  | {
      readonly type: 'scraped';
      readonly job: string;
      readonly health: ScrapeHealth;
      readonly report: ScrapeSummary;
    }
  | { readonly type: 'head-stats'; readonly stats: HeadStats };
