/** The scraper on well-behaved targets: formats, labels, staleness, the schedule, and hot reload. */
import type { IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { manualTimers } from '#test-support/manual-timers.js';
import { nextSlotMs } from '../../src/server/schedule/index.js';
import { ScrapeManager } from '../../src/server/scrape/scrape-manager.js';
import { spreadOffsetMs } from '../../src/server/scrape/scrape-schedule.js';
import type { ScrapeTargetOptions } from '../../src/server/scrape/target-config.js';
import { createHead, MemoryHead } from '../../src/server/store/memory-head.js';
import {
  instanceOf,
  lastIsStale,
  lastValue,
  serve,
  stored,
  type TestServer,
} from './scrape-servers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A target whose body (and headers) the test changes between scrapes. */
async function target(
  body: string,
  headers: Record<string, string> = { 'Content-Type': 'text/plain; version=0.0.4' },
) {
  const state = { body, headers, status: 200, requests: [] as IncomingHttpHeaders[] };
  const server = await serve((req, res) => {
    state.requests.push(req.headers);
    res.writeHead(state.status, state.headers);
    res.end(state.headers['Content-Encoding'] === 'gzip' ? gzipSync(state.body) : state.body);
  });
  cleanups.push(() => server.close());
  return { server, state };
}

/** A manager over `targets` with a clock the test moves, and timers that never fire on their own. */
function manager(targets: ScrapeTargetOptions[]) {
  const clock = { t: 1_700_000_000_000 };
  const store = createHead();
  const m = new ScrapeManager({
    store,
    targets,
    defaults: { intervalMs: 10_000, timeoutMs: 5_000 },
    now: () => clock.t,
    timers: manualTimers(clock.t),
  });
  cleanups.push(() => m.stop());
  const ids = m.health().map((h) => h.id);
  return { store, m, clock, ids };
}

function inst(s: TestServer): string {
  return instanceOf(s);
}

describe('scraping a healthy target', () => {
  it('sends the negotiation, encoding, timeout and user-agent headers', async () => {
    const { server, state } = await target('a 1\n');
    const { m, ids } = manager([{ url: server.url, timeoutMs: 2_500 }]);
    await m.scrapeNow(ids[0]);
    const h = state.requests[0];
    expect(h['x-prometheus-scrape-timeout-seconds']).toBe('2.5');
    expect(h.accept).toMatch(
      /^application\/openmetrics-text;version=1\.0\.0;q=0\.5,text\/plain;version=0\.0\.4/,
    );
    expect(h['accept-encoding']).toBe('gzip');
    expect(h['user-agent']).toMatch(/^kpi-lights\/\d+\.\d+\.\d+/);
  });

  it('stores a gzip response with target, job and instance labels', async () => {
    const { server } = await target('# TYPE hits_total counter\nhits_total{path="/a"} 7\n', {
      'Content-Type': 'text/plain; version=0.0.4',
      'Content-Encoding': 'gzip',
    });
    const { store, m, ids, clock } = manager([
      { url: server.url, job: 'efile', labels: { service: 'efile', agency: 'IRS', env: 'prod' } },
    ]);
    const report = await m.scrapeNow(ids[0]);
    expect(report.error).toBeNull();
    expect(report.wireBytes).toBeLessThan(report.bodyBytes + 30);
    expect(stored(store, 'hits_total')).toEqual([
      {
        labels: {
          __name__: 'hits_total',
          agency: 'IRS',
          env: 'prod',
          instance: inst(server),
          job: 'efile',
          path: '/a',
          service: 'efile',
        },
        t: [clock.t],
        v: [7],
        stale: [false],
      },
    ]);
    expect(lastValue(store, 'up', inst(server))).toBe(1);
    expect(lastValue(store, 'scrape_samples_scraped', inst(server))).toBe(1);
    expect(lastValue(store, 'scrape_series_added', inst(server))).toBe(1);
    expect(m.health()[0]).toMatchObject({ health: 'up', lastError: null, lastSampleCount: 1 });
  });

  it('parses OpenMetrics when the Content-Type says so, honouring its timestamps', async () => {
    const { server } = await target(
      '# TYPE jobs counter\n# HELP jobs Jobs done.\njobs_total 3 1700000000.5\n# EOF\n',
      { 'Content-Type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' },
    );
    const { store, m, ids } = manager([{ url: server.url }]);
    const report = await m.scrapeNow(ids[0]);
    expect(report.error).toBeNull();
    const [jobs] = stored(store, 'jobs_total');
    expect(jobs.t).toEqual([1_700_000_000_500]);
    expect(jobs.v).toEqual([3]);
  });

  it('uses the scrape time for explicit timestamps when honorTimestamps is off', async () => {
    const { server } = await target('old 1 1000\n');
    const { store, m, ids, clock } = manager([{ url: server.url, honorTimestamps: false }]);
    await m.scrapeNow(ids[0]);
    expect(stored(store, 'old')[0].t).toEqual([clock.t]);
  });

  it('renames scraped labels that clash with target labels to exported_<name>', async () => {
    const { server } = await target(
      'clash{job="node",instance="elsewhere:1",service="inner",exported_job="x",keep="k"} 1\n',
    );
    const { store, m, ids } = manager([
      { url: server.url, job: 'efile', labels: { service: 'efile' } },
    ]);
    await m.scrapeNow(ids[0]);
    expect(stored(store, 'clash')[0].labels).toEqual({
      __name__: 'clash',
      exported_exported_job: 'node',
      exported_instance: 'elsewhere:1',
      exported_job: 'x',
      exported_service: 'inner',
      instance: inst(server),
      job: 'efile',
      keep: 'k',
      service: 'efile',
    });
  });

  it('marks every series stale after a failed scrape, once', async () => {
    const { server, state } = await target('a 1\nb{x="1"} 2\n');
    const { store, m, ids, clock } = manager([{ url: server.url }]);
    const t1 = clock.t;
    await m.scrapeNow(ids[0]);
    state.status = 500;
    clock.t += 10_000;
    const failed = await m.scrapeNow(ids[0]);
    expect(failed.error?.message).toBe('server returned HTTP status 500 Internal Server Error');
    expect(failed.staleMarkers).toBe(2);
    for (const name of ['a', 'b']) {
      const [s] = stored(store, name);
      expect(s.t).toEqual([t1, clock.t]);
      expect(s.stale).toEqual([false, true]);
    }
    expect(lastValue(store, 'up', inst(server))).toBe(0);
    // A second failure has nothing left to mark.
    clock.t += 10_000;
    expect((await m.scrapeNow(ids[0])).staleMarkers).toBe(0);
    // Recovery writes fresh samples after the markers.
    state.status = 200;
    clock.t += 10_000;
    await m.scrapeNow(ids[0]);
    expect(stored(store, 'a')[0].v.slice(-1)).toEqual([1]);
    expect(lastValue(store, 'up', inst(server))).toBe(1);
  });

  it('marks series that disappear between two good scrapes stale', async () => {
    const { server, state } = await target('keep 1\ngone{x="1"} 2\n');
    const { store, m, ids, clock } = manager([{ url: server.url }]);
    await m.scrapeNow(ids[0]);
    state.body = 'keep 3\n';
    clock.t += 10_000;
    const second = await m.scrapeNow(ids[0]);
    expect(second.staleMarkers).toBe(1);
    expect(stored(store, 'keep')[0].v).toEqual([1, 3]);
    const gone = stored(store, 'gone')[0];
    expect(gone.t[1]).toBe(clock.t);
    expect(gone.stale).toEqual([false, true]);
  });

  it('leaves series with explicit timestamps out of staleness', async () => {
    const { server, state } = await target('stamped 1 1600000000000\nplain 1\n');
    const { store, m, ids, clock } = manager([{ url: server.url }]);
    await m.scrapeNow(ids[0]);
    state.body = '';
    clock.t += 10_000;
    expect((await m.scrapeNow(ids[0])).staleMarkers).toBe(1);
    expect(stored(store, 'stamped')[0].v).toEqual([1]);
  });

  it('creates no series on a warm scrape, and counts new ones', async () => {
    const { server, state } = await target('w{i="1"} 1\nw{i="2"} 2\n');
    const { store, m, ids, clock } = manager([{ url: server.url }]);
    expect((await m.scrapeNow(ids[0])).seriesAdded).toBe(2);
    const seriesBefore = store.stats().series;
    clock.t += 10_000;
    expect((await m.scrapeNow(ids[0])).seriesAdded).toBe(0);
    expect(store.stats().series).toBe(seriesBefore);
    state.body += 'w{i="3"} 3\n';
    clock.t += 10_000;
    expect((await m.scrapeNow(ids[0])).seriesAdded).toBe(1);
    expect(lastValue(store, 'scrape_series_added', inst(server))).toBe(1);
  });

  it('follows redirects within the deadline, and gives up on a loop', async () => {
    const real = await target('moved 1\n');
    const hops = await serve((req, res) => {
      const loop = req.url?.startsWith('/loop');
      res.writeHead(loop ? 302 : 301, { Location: loop ? '/loop/again' : real.server.url });
      res.end();
    });
    cleanups.push(() => hops.close());
    const base = hops.url.replace('/metrics', '');
    const { store, m, ids } = manager([{ url: `${base}/old` }, { url: `${base}/loop` }]);
    const [moved, loop] = await Promise.all(ids.map((id) => m.scrapeNow(id)));
    expect(moved.error).toBeNull();
    // The series keep the configured target's instance, not the redirect's.
    expect(stored(store, 'moved')[0].labels.instance).toBe(inst(hops));
    expect(loop.error?.message).toBe('more than 10 redirects');
  });

  it('never overlaps two scrapes of one target', async () => {
    const { server, state } = await target('a 1\n');
    const { m, ids } = manager([{ url: server.url }]);
    const [r1, r2] = await Promise.all([m.scrapeNow(ids[0]), m.scrapeNow(ids[0])]);
    expect(r1).toBe(r2);
    expect(state.requests).toHaveLength(1);
  });
});

describe('the schedule', () => {
  it('spreads targets over the interval by a stable hash', () => {
    const ids = Array.from(
      { length: 50 },
      (_, i) => `http://10.0.0.${i}:9100/metrics {job="node"}`,
    );
    const offsets = ids.map((id) => spreadOffsetMs(id, 15_000));
    expect(offsets).toEqual(ids.map((id) => spreadOffsetMs(id, 15_000)));
    for (const o of offsets) expect(o).toBeGreaterThanOrEqual(0);
    for (const o of offsets) expect(o).toBeLessThan(15_000);
    expect(new Set(offsets).size).toBeGreaterThan(40);
    expect(nextSlotMs(10_500, 1_000, 200)).toBe(11_200);
    expect(nextSlotMs(11_200, 1_000, 200)).toBe(11_200);
    expect(nextSlotMs(11_201, 1_000, 200)).toBe(12_200);
  });

  it('scrapes each target on its own slot, repeatedly, once started', {
    timeout: 20_000,
  }, async () => {
    const timers = manualTimers(1_700_000_000_000);
    const seen: number[] = [];
    const server = await serve((_req, res) => {
      seen.push(timers.now());
      res.end('tick 1\n');
    });
    cleanups.push(() => server.close());
    const store = createHead();
    const m = new ScrapeManager({
      store,
      targets: [{ url: server.url, intervalMs: 300, timeoutMs: 300 }],
      timers,
    });
    cleanups.push(() => m.stop());
    const offset = m.loop(m.health()[0].id)!.offsetMs;
    expect(offset).toBe(spreadOffsetMs(m.health()[0].id, 300));
    const loop = m.loop(m.health()[0].id)!;
    expect(loop.nextScrapeAt).toBeNull();
    m.start();
    const planned = new Set<number>();
    for (let slot = 0; slot < 3; slot++) {
      planned.add(loop.nextScrapeAt!);
      await timers.runNext(); // the slot comes: its scrape starts
      await loop.scrapeNow(); // joins that scrape, to its end
    }
    planned.add(loop.nextScrapeAt!);
    await m.stop();
    expect(loop.nextScrapeAt).toBeNull();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    // Every planned scrape sits on the target's slot; the timer's lateness on a busy machine doesn't shift the next.
    for (const at of planned) expect(at % 300).toBe(offset);
    // The last scrape may have been cancelled by stop(); the earlier ones were stored.
    expect(stored(store, 'tick')[0].v.length).toBeGreaterThanOrEqual(1);
  });
});

describe('hot reload', () => {
  it('keeps unchanged loops, and marks removed targets stale', async () => {
    const a = await target('from_a 1\n');
    const b = await target('from_b 1\n');
    const { store, m, ids, clock } = manager([{ url: a.server.url }, { url: b.server.url }]);
    await Promise.all(ids.map((id) => m.scrapeNow(id)));
    const loopA = m.loop(ids[0]);
    clock.t += 5_000;
    await m.update([{ url: a.server.url }]);
    expect(m.loop(ids[0])).toBe(loopA);
    expect(m.health().map((h) => h.id)).toEqual([ids[0]]);
    const fromB = stored(store, 'from_b')[0];
    expect(fromB.t).toEqual([clock.t - 5_000, clock.t]);
    expect(fromB.stale).toEqual([false, true]);
    expect(lastIsStale(store, 'up', inst(b.server))).toBe(true);
  });

  it('restarts a changed target with its cache and health kept', async () => {
    const a = await target('from_a 1\ngoes 1\n');
    const { store, m, ids, clock } = manager([{ url: a.server.url }]);
    await m.scrapeNow(ids[0]);
    await m.update([{ url: a.server.url, intervalMs: 20_000 }]);
    expect(m.health()[0]).toMatchObject({ health: 'up', intervalMs: 20_000 });
    a.state.body = 'from_a 2\n';
    clock.t += 20_000;
    const r = await m.scrapeNow(ids[0]);
    expect(r.seriesAdded).toBe(0);
    expect(r.staleMarkers).toBe(1);
    expect(stored(store, 'goes')[0].stale).toEqual([false, true]);
  });

  it('rejects an invalid target naming its index and field, changing nothing', async () => {
    const a = await target('a 1\n');
    const { m, ids } = manager([{ url: a.server.url }]);
    await expect(m.update([{ url: a.server.url }, { url: 'ftp://x/metrics' }])).rejects.toThrow(
      /targets\[1\]\.url/,
    );
    expect(m.health().map((h) => h.id)).toEqual(ids);
  });
});

describe('the manager', () => {
  it('recreates series the store dropped under the cache (retention)', async () => {
    const a = await target('kept 1\n');
    const { store, m, ids, clock } = manager([{ url: a.server.url }]);
    await m.scrapeNow(ids[0]);
    clock.t += 10_000;
    store.truncate(clock.t);
    expect(stored(store, 'kept')).toEqual([]);
    const r = await m.scrapeNow(ids[0]);
    expect(r.error).toBeNull();
    expect(stored(store, 'kept')[0]).toMatchObject({ t: [clock.t], v: [1] });
    expect(lastValue(store, 'up', inst(a.server))).toBe(1);
  });

  it('survives a store that throws, reporting the target down', async () => {
    const a = await target('a 1\n');
    class BrokenHead extends MemoryHead {
      override append(): never {
        throw new Error('disk on fire');
      }
    }
    const m = new ScrapeManager({ store: new BrokenHead(), targets: [{ url: a.server.url }] });
    cleanups.push(() => m.stop());
    const r = await m.scrapeNow(m.health()[0].id);
    expect(r.error?.message).toBe('storing the scrape failed: disk on fire');
    expect(m.health()[0]).toMatchObject({
      health: 'down',
      lastError: 'storing the scrape failed: disk on fire',
    });
  });

  it('stop() aborts a scrape in flight, quickly, writing nothing', {
    timeout: 20_000,
  }, async () => {
    let arrived: () => void = () => {};
    const requested = new Promise<void>((r) => (arrived = r));
    const hang = await serve(() => arrived());
    cleanups.push(() => hang.close());
    const { store, m, ids } = manager([{ url: hang.url, timeoutMs: 5_000 }]);
    const pending = m.scrapeNow(ids[0]);
    await requested; // the scrape is in flight, waiting on the target
    const started = performance.now();
    await m.stop();
    expect(performance.now() - started).toBeLessThan(2_000);
    const report = await pending;
    expect(report.error?.kind).toBe('cancelled');
    expect(stored(store, 'up')).toEqual([]);
    expect(m.health()[0].health).toBe('unknown');
  });

  it('tells observers about every scrape, and survives one that throws', async () => {
    const a = await target('a 1\n');
    const reports: { durationMs: number; error: unknown }[] = [];
    const store = createHead();
    const m = new ScrapeManager({
      store,
      targets: [{ url: a.server.url }],
      onScrape: (r) => {
        reports.push(r);
        throw new Error('observer bug');
      },
    });
    cleanups.push(() => m.stop());
    const id = m.health()[0].id;
    await m.scrapeNow(id);
    expect(reports).toHaveLength(1);
    expect(reports[0].error).toBeNull();
    expect(reports[0].durationMs).toBeGreaterThan(0);
    expect(m.health()[0].health).toBe('up');
  });

  it('starts the loops of targets added by a reload while running', async () => {
    const a = await target('a 1\n');
    const b = await target('b 1\n');
    const { m, ids } = manager([{ url: a.server.url }]);
    m.start();
    await m.update([{ url: a.server.url }, { url: b.server.url }]);
    const added = m.health()[1].id;
    expect(m.loop(ids[0])!.nextScrapeAt).not.toBeNull();
    expect(m.loop(added)!.nextScrapeAt).not.toBeNull();
    await m.stop();
    expect(m.loop(added)!.nextScrapeAt).toBeNull();
  });

  it('refuses two targets with the same url and labels', () => {
    expect(
      () =>
        new ScrapeManager({
          store: createHead(),
          targets: [{ url: 'http://a/m' }, { url: 'http://a/m' }],
        }),
    ).toThrow('scrape target targets[1]: same url and labels as targets[0]');
  });
});
