/** The engine's head: in memory only, or durable in a folder. One place decides which, for the worker and in process alike. */
import {
  openSampleStorage,
  type SampleStorage,
  type StorageSettings,
  type StorageStats,
} from './disk/sample-storage.js';
import { createHead, type MemoryHead } from './memory-head.js';

/** What the engine holds: the head and its upkeep. */
export interface EngineHead {
  readonly head: MemoryHead;
  /** Drops what retention no longer keeps (call about once a minute). */
  retention(nowMs: number): void;
  /** The disk's figures, when durable. */
  diskStats(): StorageStats | undefined;
  /** What the start replayed from disk, when durable. */
  readonly storage: SampleStorage | undefined;
  /** Writes what is buffered and a checkpoint, and lets go of the folder. */
  close(): void;
}

/** Options of {@link openHead}. */
export interface OpenHeadOptions {
  /** Keep samples on disk here; without it they live in memory for `headRetentionMs`. */
  readonly storage?: StorageSettings;
  /** In memory only: how long samples are kept. Durable: how long full chunks stay in memory too. */
  readonly headRetentionMs?: number;
  readonly maxSeries?: number;
  /** Where replay and damage lines go. */
  readonly log?: (line: string) => void;
}

/**
 * Opens the engine's head: durable (replaying the folder first) when `storage` is given, else
 * in memory.
 *
 * @example
 * ```ts
 * const engine = openHead({ storage: { dir: 'data/samples' } });
 * setInterval(() => engine.retention(Date.now()), 60_000);
 * ```
 */
export function openHead(options: OpenHeadOptions): EngineHead {
  const { storage: settings, headRetentionMs, maxSeries } = options;
  if (settings === undefined) {
    const head = createHead({
      ...(headRetentionMs !== undefined && { retentionMs: headRetentionMs }),
      ...(maxSeries !== undefined && { maxSeries }),
    });
    return {
      head,
      storage: undefined,
      retention: (now) => head.applyRetention(now),
      diskStats: () => undefined,
      close: () => {},
    };
  }
  const storage = openSampleStorage({
    ...settings,
    ...(settings.memoryWindowMs === undefined &&
      headRetentionMs !== undefined && { memoryWindowMs: headRetentionMs }),
    ...(maxSeries !== undefined && { maxSeries }),
    ...(options.log !== undefined && { log: options.log }),
  });
  return {
    head: storage.head,
    storage,
    retention: (now) => storage.applyRetention(now),
    diskStats: () => storage.stats(),
    close: () => storage.close(),
  };
}
