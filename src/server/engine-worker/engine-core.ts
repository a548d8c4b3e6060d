/** The engine's core, built the same in the engine worker and in process: the head, the scraper writing into it, retention. */
import {
  type ScrapeLoop,
  ScrapeManager,
  type ScrapeReport,
  type ScrapeTargetOptions,
} from '../scrape/index.js';
import type { StorageSettings } from '../store/disk/sample-storage.js';
import type { HeadStats, MemoryHead } from '../store/index.js';
import { type EngineHead, openHead } from '../store/open-head.js';

/** Options of {@link createEngineCore}. Only `targets` is required. */
export interface EngineCoreOptions {
  readonly targets: readonly ScrapeTargetOptions[];
  /** In memory only: how long samples are kept. On disk: how long full chunks stay in memory too. */
  readonly headRetentionMs?: number;
  /** Keep samples on disk, replayed before this returns. */
  readonly storage?: StorageSettings;
  /** The head-wide series limit (`--max-series`). */
  readonly maxSeries?: number;
  /** Called after each finished scrape, with the loop that made it. */
  readonly onScrape?: (report: ScrapeReport, loop: ScrapeLoop) => void;
  /** Where replay and damage lines go. */
  readonly log?: (line: string) => void;
}

/** The head, its scraper and its upkeep. */
export interface EngineCore {
  readonly head: MemoryHead;
  readonly scrape: ScrapeManager;
  /** The head's size, with the disk's bytes when durable. */
  headStats(): HeadStats;
  /** Stops the scrape loops and retention, then closes the sample store (a last commit and checkpoint). */
  close(): Promise<void>;
}

/** How often samples past retention are dropped and old chunks leave memory. */
export const RETENTION_EVERY_MS = 60_000;

/**
 * Opens the head (replaying the sample store first), builds the scraper over it and starts
 * retention; the scrape loops wait for `scrape.start()`.
 *
 * @example
 * ```ts
 * const core = createEngineCore({ targets, storage: { dir: 'data/samples' } });
 * core.scrape.start();
 * await core.close();
 * ```
 */
export function createEngineCore(options: EngineCoreOptions): EngineCore {
  const opened: EngineHead = openHead({
    storage: options.storage,
    headRetentionMs: options.headRetentionMs,
    maxSeries: options.maxSeries,
    ...(options.log !== undefined && { log: options.log }),
  });
  const { head } = opened;
  const scrape: ScrapeManager = new ScrapeManager({
    store: head,
    targets: options.targets,
    onScrape: (report) => {
      const loop = scrape.loop(report.targetId);
      if (loop !== undefined) options.onScrape?.(report, loop);
    },
  });
  const retention = setInterval(() => opened.retention(Date.now()), RETENTION_EVERY_MS);
  retention.unref();
  return {
    head,
    scrape,
    headStats: () => {
      const disk = opened.diskStats();
      return disk === undefined ? head.stats() : { ...head.stats(), diskBytes: disk.diskBytes };
    },
    close: async () => {
      clearInterval(retention);
      await scrape.stop();
      opened.close();
    },
  };
}
