/** Hostile targets against the scraper: each one fails alone, quickly, in words, while a healthy target beside it is scraped as usual. */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScrapeManager } from '../../src/server/scrape/scrape-manager.js';
import type { ScrapeReport } from '../../src/server/scrape/scrape-target.js';
import type { ScrapeTargetOptions } from '../../src/server/scrape/target-config.js';
import type { ScrapeHealth } from '../../src/server/scrape/target-health.js';
import { createHead } from '../../src/server/store/memory-head.js';
import type { HeadStore } from '../../src/server/store/types.js';
import {
  healthyTarget,
  instanceOf,
  lastValue,
  serve,
  stored,
  type TestServer,
} from './scrape-servers.js';

const MiB = 1024 * 1024;
/** Every hostile scrape must end well within this, on a busy machine. */
const BOUND_MS = 10_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Fakes the timers the scraper's deadline runs on (and the clock its durations are measured
 * with), leaving sockets real, and answers a handler that tells when the target was reached.
 */
function fakeDeadline(): { reached: Promise<void>; arrive: () => void } {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  let arrive: () => void = () => {};
  const reached = new Promise<void>((r) => (arrive = r));
  return { reached, arrive };
}

async function track(server: Promise<TestServer>): Promise<TestServer> {
  const s = await server;
  cleanups.push(() => s.close());
  return s;
}

interface Outcome {
  store: HeadStore;
  bad: ScrapeReport;
  health: ScrapeHealth;
  elapsedMs: number;
}

/** Scrapes `url` and a healthy target side by side, once each, and checks the healthy one. */
async function scrapeBesideHealthy(
  url: string,
  options: Partial<ScrapeTargetOptions> = {},
  whileScraping: () => Promise<void> = async () => {},
): Promise<Outcome> {
  const healthy = await track(healthyTarget());
  const store = createHead();
  const manager = new ScrapeManager({
    store,
    defaults: { intervalMs: 10_000, timeoutMs: 5_000 },
    targets: [
      { url, labels: { service: 'hostile' }, ...options },
      { url: healthy.url, labels: { service: 'healthy' } },
    ],
  });
  cleanups.push(() => manager.stop());
  const [badId, goodId] = manager.health().map((h) => h.id);
  const started = performance.now();
  const scrapes = Promise.all([manager.scrapeNow(badId), manager.scrapeNow(goodId)]);
  await whileScraping();
  const [bad, good] = await scrapes;
  const elapsedMs = performance.now() - started;
  if (process.env.SCRAPE_DEBUG) console.log(bad);

  expect(good.error).toBeNull();
  expect(lastValue(store, 'up', instanceOf(healthy))).toBe(1);
  const requests = stored(store, 'healthy_requests_total', instanceOf(healthy));
  expect(requests.map((s) => [s.labels.code, s.v])).toEqual([
    ['200', [42]],
    ['500', [1]],
  ]);
  const health = manager.health()[0];
  return { store, bad, health, elapsedMs };
}

/** The outcome every hostile target must have: bounded, `up` 0, down with a readable error. */
function expectFailedAlone(o: Outcome, error: RegExp): void {
  expect(o.elapsedMs).toBeLessThan(BOUND_MS);
  expect(o.bad.error?.message).toMatch(error);
  expect(o.health.health).toBe('down');
  expect(o.health.lastError).toMatch(error);
  expect(lastValue(o.store, 'up', o.health.instance)).toBe(0);
  expect(lastValue(o.store, 'scrape_duration_seconds', o.health.instance)).toBeGreaterThan(0);
}

/** Writes `chunk` until `total` bytes went out or the client left; honours backpressure. */
async function stream(res: ServerResponse, chunk: Buffer, total: number): Promise<number> {
  let sent = 0;
  while (sent < total && !res.destroyed) {
    sent += chunk.length;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
  return sent;
}

describe('scraping a hostile target', () => {
  it('gives up on a target that hangs, at the timeout', { timeout: 20_000 }, async () => {
    const deadline = fakeDeadline();
    const hang = await track(serve(() => deadline.arrive()));
    const o = await scrapeBesideHealthy(hang.url, { timeoutMs: 500 }, async () => {
      await deadline.reached;
      await vi.advanceTimersByTimeAsync(500);
    });
    expectFailedAlone(o, /^timed out after 500 ms$/);
    expect(o.bad.durationMs).toBeGreaterThanOrEqual(450);
  });

  it('gives up on a target that sends headers, then stalls mid-body', {
    timeout: 20_000,
  }, async () => {
    const deadline = fakeDeadline();
    const stall = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('stalled_metric 1\n', () => deadline.arrive());
      }),
    );
    const o = await scrapeBesideHealthy(stall.url, { timeoutMs: 500 }, async () => {
      await deadline.reached;
      await vi.advanceTimersByTimeAsync(500);
    });
    expectFailedAlone(o, /^timed out after 500 ms$/);
  });

  it('cuts a 50 MB body off at the 10 MiB limit, before the server sent it all', {
    timeout: 30_000,
  }, async () => {
    const line = `big_metric{pad="${'x'.repeat(100)}"} 1\n`;
    const chunk = Buffer.from(line.repeat(Math.floor((64 * 1024) / line.length)));
    let serverSent: Promise<number> = Promise.resolve(0);
    const big = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        serverSent = stream(res, chunk, 50 * 1000 * 1000);
      }),
    );
    const o = await scrapeBesideHealthy(big.url, { bodySizeLimit: 10 * MiB });
    expectFailedAlone(o, /^body exceeds the 10 MiB limit$/);
    expect(o.bad.bodyBytes).toBeLessThanOrEqual(10 * MiB + chunk.length);
    expect(await serverSent).toBeLessThan(40 * 1000 * 1000);
    expect(stored(o.store, 'big_metric')).toEqual([]);
  });

  it('refuses a body whose Content-Length is over the limit without reading it', {
    timeout: 20_000,
  }, async () => {
    const declared = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(20 * MiB) });
        res.write('a 1\n');
      }),
    );
    const o = await scrapeBesideHealthy(declared.url, { bodySizeLimit: MiB });
    expectFailedAlone(o, /^body exceeds the 1 MiB limit$/);
    expect(o.bad.bodyBytes).toBe(0);
  });

  it('stops a gzip bomb (1 GiB of zeros in ~1 MB) at the limit of inflated bytes', {
    timeout: 30_000,
  }, async () => {
    // Concatenated gzip members are one valid gzip stream: 1024 × 1 MiB of zeros.
    const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
    expect(bomb.length).toBeLessThan(2 * MiB);
    const server = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
        void stream(res, bomb, bomb.length);
      }),
    );
    const buffersBefore = process.memoryUsage().arrayBuffers;
    const o = await scrapeBesideHealthy(server.url, { bodySizeLimit: 10 * MiB });
    expectFailedAlone(o, /^body exceeds the 10 MiB limit$/);
    expect(o.bad.bodyBytes).toBeGreaterThan(10 * MiB);
    expect(o.bad.bodyBytes).toBeLessThan(11 * MiB);
    expect(o.bad.wireBytes).toBeLessThan(bomb.length);
    expect(process.memoryUsage().arrayBuffers - buffersBefore).toBeLessThan(200 * MiB);
  });

  it('reports garbage text by line and column', { timeout: 20_000 }, async () => {
    const garbage = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok_metric 1\n<html><body>Service Unavailable</body></html>\n\u0000\u0001\u0002');
      }),
    );
    const o = await scrapeBesideHealthy(garbage.url);
    expectFailedAlone(o, /^line 2, column \d+: .+/);
    // All or nothing: the good first line was not stored either.
    expect(stored(o.store, 'ok_metric')).toEqual([]);
  });

  it('fails the whole scrape of 100 000 series against a sample limit of 10 000', {
    timeout: 30_000,
  }, async () => {
    const body = Array.from({ length: 100_000 }, (_, i) => `many_series{i="${i}"} ${i}\n`).join('');
    const many = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(body);
      }),
    );
    const o = await scrapeBesideHealthy(many.url, { sampleLimit: 10_000 });
    expectFailedAlone(o, /^sample limit 10000 exceeded: 100000 samples$/);
    expect(o.health.lastSampleCount).toBe(100_000);
    expect(stored(o.store, 'many_series')).toEqual([]);
    expect(lastValue(o.store, 'scrape_samples_scraped', o.health.instance)).toBe(100_000);
  });

  it('reports a refused connection', { timeout: 20_000 }, async () => {
    const gone = await serve(() => {});
    await gone.close();
    const o = await scrapeBesideHealthy(gone.url);
    expectFailedAlone(o, /^connection refused$/);
  });

  it('reports a target that dies mid-body (chunked)', { timeout: 20_000 }, async () => {
    const dying = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first_metric 1\nsecond_met', () => setTimeout(() => res.socket?.destroy(), 20));
      }),
    );
    const o = await scrapeBesideHealthy(dying.url);
    expectFailedAlone(o, /^connection closed before the body ended$/);
    expect(stored(o.store, 'first_metric')).toEqual([]);
  });

  it('reports a target that dies before its Content-Length is reached', {
    timeout: 20_000,
  }, async () => {
    const dying = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
        res.write('first_metric 1\n', () => setTimeout(() => res.socket?.destroy(), 20));
      }),
    );
    const o = await scrapeBesideHealthy(dying.url);
    expectFailedAlone(o, /^connection closed before the body ended$/);
  });

  it('reports a non-2xx status', { timeout: 20_000 }, async () => {
    const down = await track(
      serve((_req, res) => {
        res.writeHead(503);
        res.end('down for maintenance');
      }),
    );
    const o = await scrapeBesideHealthy(down.url);
    expectFailedAlone(o, /^server returned HTTP status 503 Service Unavailable$/);
  });

  it('reports a corrupt gzip body', { timeout: 20_000 }, async () => {
    const corrupt = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
        res.end(Buffer.from('this is not gzip at all'));
      }),
    );
    const o = await scrapeBesideHealthy(corrupt.url);
    expectFailedAlone(o, /^gzip body is corrupt: /);
  });

  it('fails on a series with too many labels, storing nothing', { timeout: 20_000 }, async () => {
    const wide = await track(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('narrow 1\nwide{a="1",b="2",c="3",d="4"} 1\n');
      }),
    );
    // 4 own labels + __name__ + service, job, instance = 8.
    const o = await scrapeBesideHealthy(wide.url, { labelLimit: 7 });
    expectFailedAlone(o, /^label limit 7 exceeded: series wide has 8 labels$/);
    expect(stored(o.store, 'narrow')).toEqual([]);
  });
});
