/** Runs the scrape loops of every target, and swaps them on a configuration reload without losing unchanged ones. */
import type { Timers } from '../schedule/index.js';
import type { HeadStore } from '../store/types.js';
import { ScrapeLoop } from './scrape-loop.js';
import type { ScrapeReport } from './scrape-target.js';
import {
  resolveTarget,
  type ScrapeDefaults,
  type ScrapeTarget,
  type ScrapeTargetOptions,
  sameTarget,
  TargetConfigError,
} from './target-config.js';
import type { ScrapeHealth } from './target-health.js';
import type { TargetMetadata } from './target-metadata.js';

/** Options of {@link ScrapeManager}. */
export interface ScrapeManagerOptions {
  /** Where samples go. */
  readonly store: HeadStore;
  /** The targets; may be changed later with `update`. Default none. */
  readonly targets?: readonly ScrapeTargetOptions[];
  /** Settings targets inherit. */
  readonly defaults?: ScrapeDefaults;
  /** Clock for sample timestamps. Default `timers.now`. */
  readonly now?: () => number;
  /** Clock and timers of every loop's schedule and scrape timeout. Default the real ones. */
  readonly timers?: Timers;
  /** Called after every finished scrape of any target, e.g. to export scrape metrics. */
  readonly onScrape?: (report: ScrapeReport) => void;
  /** Overrides the `User-Agent` sent. */
  readonly userAgent?: string;
}

/** Checks every target; a bad one throws naming its index and field; a repeated one too. */
function resolveAll(
  targets: readonly ScrapeTargetOptions[],
  defaults: ScrapeDefaults | undefined,
): ScrapeTarget[] {
  const seen = new Map<string, number>();
  return targets.map((options, i) => {
    let target: ScrapeTarget;
    try {
      target = resolveTarget(options, defaults);
    } catch (err) {
      if (err instanceof TargetConfigError) {
        throw new TargetConfigError(`targets[${i}].${err.field}`, err.reason, {
          target: i,
          cause: err,
        });
      }
      throw err;
    }
    const first = seen.get(target.id);
    if (first !== undefined) {
      throw new TargetConfigError(`targets[${i}]`, `same url and labels as targets[${first}]`, {
        target: i,
      });
    }
    seen.set(target.id, i);
    return target;
  });
}

/**
 * Scrapes many targets, each on its own schedule, into one head store. Each target is isolated:
 * nothing one does (hang, flood, garbage) reaches another or the process.
 *
 * @example
 * ```ts
 * const scraper = new ScrapeManager({
 *   store: createHead(),
 *   defaults: { intervalMs: 15_000, timeoutMs: 5_000 },
 *   targets: [{ url: 'http://127.0.0.1:8001/metrics', labels: { service: 'efile' }, job: 'efile' }],
 * });
 * scraper.start();
 * scraper.health(); // [{ url, health: 'unknown', ... }]
 * await scraper.stop();
 * ```
 */
export class ScrapeManager {
  readonly #store: HeadStore;
  readonly #defaults: ScrapeDefaults | undefined;
  readonly #now: (() => number) | undefined;
  readonly #timers: Timers | undefined;
  readonly #onScrape: ((report: ScrapeReport) => void) | undefined;
  readonly #userAgent: string | undefined;
  #loops = new Map<string, ScrapeLoop>();
  #started = false;

  constructor(options: ScrapeManagerOptions) {
    this.#store = options.store;
    this.#defaults = options.defaults;
    this.#now = options.now;
    this.#timers = options.timers;
    this.#onScrape = options.onScrape;
    this.#userAgent = options.userAgent;
    for (const target of resolveAll(options.targets ?? [], this.#defaults)) {
      this.#loops.set(target.id, this.#newLoop(target));
    }
  }

  #newLoop(target: ScrapeTarget, previous?: ScrapeLoop): ScrapeLoop {
    return new ScrapeLoop(target, {
      store: this.#store,
      now: this.#now,
      timers: this.#timers,
      onScrape: this.#onScrape,
      userAgent: this.#userAgent,
      replaces: previous,
    });
  }

  /** Starts every target's timer. */
  start(): void {
    this.#started = true;
    for (const loop of this.#loops.values()) loop.start();
  }

  /** Stops every timer, aborts scrapes in flight and waits for them. Series are left as they are. */
  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all([...this.#loops.values()].map((l) => l.stop()));
  }

  /**
   * Hot reload: loops of unchanged targets keep running untouched; changed ones restart with the
   * new settings but keep their cache; removed ones stop, their series are marked stale and
   * are freed at the head's next truncate.
   * Throws, changing nothing, if any target is invalid.
   */
  async update(targets: readonly ScrapeTargetOptions[]): Promise<void> {
    const resolved = resolveAll(targets, this.#defaults);
    const next = new Map<string, ScrapeLoop>();
    const stopping: Promise<void>[] = [];
    for (const target of resolved) {
      const old = this.#loops.get(target.id);
      if (old && sameTarget(old.target, target)) {
        next.set(target.id, old);
        continue;
      }
      if (!old) {
        next.set(target.id, this.#newLoop(target));
        continue;
      }
      // The new loop takes the old one's cache and health once the old one has stopped.
      stopping.push(
        old.stop().then(() => {
          next.set(target.id, this.#newLoop(target, old));
        }),
      );
      next.set(target.id, old);
    }
    const removed = [...this.#loops.values()].filter((l) => !next.has(l.target.id));
    this.#loops = next;
    await Promise.all(stopping);
    await Promise.all(
      removed.map(async (l) => {
        await l.stop();
        l.retire();
      }),
    );
    if (this.#started) for (const loop of next.values()) loop.start();
  }

  /** The health of every target, in configuration order. */
  health(): ScrapeHealth[] {
    return [...this.#loops.values()].map((l) => l.health());
  }

  /** The resolved targets, in configuration order. */
  targets(): ScrapeTarget[] {
    return [...this.#loops.values()].map((l) => l.target);
  }

  /** What each target's last exposition declared (`# HELP`, `# TYPE`, `# UNIT`), in configuration order. */
  metadata(): TargetMetadata[] {
    return [...this.#loops.values()].map((l) => ({
      labels: l.target.targetLabels,
      families: l.cache.metadata,
    }));
  }

  /** Scrapes one target at once (joining a scrape already running). Throws for an unknown id. */
  scrapeNow(targetId: string): Promise<ScrapeReport> {
    const loop = this.#loops.get(targetId);
    if (!loop) return Promise.reject(new Error(`no scrape target with id ${targetId}`));
    return loop.scrapeNow();
  }

  /** The loop of one target, for its schedule offset. */
  loop(targetId: string): ScrapeLoop | undefined {
    return this.#loops.get(targetId);
  }
}
