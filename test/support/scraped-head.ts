/** Real targets scraped into an in-process head at times a test sets, read through the embedded source: the exporter, recipe and lint tests' plumbing. */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { PromqlEngine } from '../../src/server/promql/index.js';
import {
  ScrapeManager,
  type ScrapeTargetOptions,
  toTargetHealth,
} from '../../src/server/scrape/index.js';
import { createEmbeddedSource, type QuerySource } from '../../src/server/source/index.js';
import { createHead } from '../../src/server/store/index.js';
import { type LocalServer, serveLocal } from './local-server.js';

/** A `/metrics` that serves whatever text the test last gave it, as the classic text format. */
export interface RecordedTarget {
  /** `http://127.0.0.1:port/metrics`. */
  readonly url: string;
  /** What the next scrape gets. */
  serve(text: string): void;
  close(): Promise<void>;
}

/**
 * Serves recorded expositions (`test/fixtures/exporters/*.prom`) from a real socket.
 *
 * @example
 * ```ts
 * const target = await recordedTarget(fixture('promhttp-before'));
 * target.serve(fixture('promhttp-after'));
 * ```
 */
export async function recordedTarget(first: string): Promise<RecordedTarget> {
  let text = first;
  const server: LocalServer = await serveLocal(
    new Hono().get('/metrics', (c) =>
      c.body(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
    ),
  );
  return {
    url: `${server.url}/metrics`,
    serve: (next) => {
      text = next;
    },
    close: () => server.close(),
  };
}

/** The text of `test/fixtures/exporters/<name>.prom`. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/exporters/${name}.prom`, import.meta.url), 'utf8');
}

/** Targets scraped on demand into a head, and the source over it. */
export interface ScrapedHead {
  readonly source: QuerySource;
  readonly scrape: ScrapeManager;
  /** Scrapes every target once, its samples stamped `atMs`; rejects naming a target that failed. */
  scrapeAll(atMs: number): Promise<void>;
}

/**
 * A head fed by the real scraper from `targets`, with sample times the test chooses, so two
 * scrapes of a recording are exactly 60 s apart however long the machine takes.
 *
 * @example
 * ```ts
 * const head = scrapedHead(scrapeTargetsOf(policy));
 * await head.scrapeAll(T0);
 * const r = await head.source.instant('up', T0);
 * ```
 */
export function scrapedHead(targets: readonly ScrapeTargetOptions[]): ScrapedHead {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  let nowMs = 0;
  const scrape = new ScrapeManager({ store: head, targets, now: () => nowMs });
  const source = createEmbeddedSource(new PromqlEngine(head, {}), {
    head,
    targets: () => scrape.health().map(toTargetHealth),
  });
  return {
    source,
    scrape,
    async scrapeAll(atMs) {
      nowMs = atMs;
      await Promise.all(scrape.targets().map((t) => scrape.scrapeNow(t.id)));
      const failed = scrape.health().filter((h) => h.health !== 'up');
      if (failed.length > 0) {
        throw new Error(
          `scrape failed: ${failed.map((h) => `${h.url}: ${h.lastError}`).join('; ')}`,
        );
      }
    },
  };
}
