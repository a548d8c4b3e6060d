/** The messages between the main thread and the engine worker (scraping, the head, PromQL). */

import type { ExportPage, ExportPageRequest } from '../feeds/export-page.js';
import type { LabelMatcher, Labels } from '../model/model.js';
import type {
  ScrapeHealth,
  ScrapeSummary,
  ScrapeTarget,
  ScrapeTargetOptions,
} from '../scrape/index.js';
import type { QueryErrorKind } from '../source/query-error.js';
import type { StorageSettings } from '../store/disk/sample-storage.js';
import type { HeadStats } from '../store/types.js';

/** What the worker is started with (`workerData`). */
export interface EngineWorkerInit {
  readonly targets: readonly ScrapeTargetOptions[];
  /** How long samples stay in the head (in memory), ms; default the head's. */
  readonly headRetentionMs?: number;
  /** Keep samples on disk, replayed before `ready`; absent keeps them in memory only. */
  readonly storage?: StorageSettings;
  /** The head-wide series limit (`--max-series`). */
  readonly maxSeries?: number;
  /** Prometheus's `--query.max-samples`. */
  readonly maxSamples?: number;
  /** `--query.max-result-bytes`. */
  readonly maxResultBytes?: number;
  /** One Int32 stop flag per query slot (`STOP_*` of `query-stop.ts`), written by the main thread. */
  readonly stopFlags: SharedArrayBuffer;
  /** How often the worker reports head stats, ms. */
  readonly statsEveryMs: number;
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

/** One query as it crosses: the query, its stop slot, and its deadline. */
export type QueryRequest = WorkerQuery & { readonly slot: number; readonly deadlineMs?: number };

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

/** Each request the main thread makes, with the body it sends and the body it gets back. */
export interface EngineRequests {
  query: { request: QueryRequest; reply: ColumnarResult };
  start: { request: Record<string, never>; reply: null };
  stop: { request: Record<string, never>; reply: null };
  'update-targets': {
    request: { readonly targets: readonly ScrapeTargetOptions[] };
    reply: TargetsReport;
  };
  'scrape-now': { request: { readonly targetId: string }; reply: ScrapeSummary };
  /** Label sets of the head's series matching every matcher (the seam's `series`). */
  series: { request: { readonly matchers: readonly LabelMatcher[] }; reply: Labels[] };
  /** One page of the raw sample export. */
  'export-page': { request: ExportPageRequest; reply: ExportPage };
  /** Stop scraping and close the sample store (a last commit and checkpoint), before the worker ends. */
  close: { request: Record<string, never>; reply: null };
}

export type EngineRequestName = keyof EngineRequests;

/** A request from the main thread; `id` pairs it with its reply. */
export type RequestMessage = {
  [K in EngineRequestName]: {
    readonly type: 'request';
    readonly id: number;
    readonly name: K;
    readonly body: EngineRequests[K]['request'];
  };
}[EngineRequestName];

/** Why a request failed, in a form that survives the crossing. */
export type WireError =
  | { readonly kind: QueryErrorKind; readonly message: string }
  | { readonly kind: 'target-config'; readonly field: string; readonly reason: string }
  | { readonly kind: 'error'; readonly message: string };

/** The resolved targets and their health, in policy order. */
export interface TargetsReport {
  readonly targets: ScrapeTarget[];
  readonly health: ScrapeHealth[];
}

/** Everything the worker sends. */
export type WorkerMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly body: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: WireError }
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
