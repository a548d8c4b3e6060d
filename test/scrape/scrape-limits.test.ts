/** Limits against a hostile target on 127.0.0.1: huge labels and churning series fail that target's scrape, and nobody else's. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/compose/start-server.js';
import { STALE_NAN } from '../../src/server/model/model.js';
import { parsePolicy } from '../../src/server/policy/index.js';
import { scrapeTargetsOf } from '../../src/server/policy/scrape-targets.js';
import { ScrapeManager } from '../../src/server/scrape/scrape-manager.js';
import type { ScrapeReport } from '../../src/server/scrape/scrape-target.js';
import { createHead, type MemoryHead } from '../../src/server/store/memory-head.js';
import {
  healthyTarget,
  instanceOf,
  lastIsStale,
  lastValue,
  serve,
  stored,
  type TestServer,
} from './scrape-servers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function track(server: Promise<TestServer>): Promise<TestServer> {
  const s = await server;
  cleanups.push(() => s.close());
  return s;
}

/** A target whose body is whatever `body` answers for the n-th scrape (from 0). */
function target(body: (n: number) => string): Promise<TestServer> {
  let n = 0;
  return track(
    serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(body(n++));
    }),
  );
}

/** A hostile target and a healthy one, scraped with the limits a policy with no `limits:` gets. */
async function scrapeWithPolicyDefaults(hostile: TestServer) {
  const healthy = await track(healthyTarget());
  const policy = parsePolicy(
    `targets:\n  - url: ${hostile.url}\n  - url: ${healthy.url}\nkpis: []\n`,
    'limits.yaml',
  );
  const store = createHead();
  const manager = new ScrapeManager({ store, targets: scrapeTargetsOf(policy) });
  cleanups.push(() => manager.stop());
  const [bad, good] = manager.health().map((h) => h.id);
  const reports = await Promise.all([manager.scrapeNow(bad), manager.scrapeNow(good)]);
  return { store, manager, healthy, reports };
}

function expectOnlyHostileFailed(
  o: { store: MemoryHead; healthy: TestServer; reports: ScrapeReport[] },
  hostile: TestServer,
  message: string,
) {
  const [bad, good] = o.reports;
  expect(bad.error?.message).toBe(message);
  expect(bad.samplesAppended).toBe(0);
  expect(lastValue(o.store, 'up', instanceOf(hostile))).toBe(0);
  expect(good.error).toBeNull();
  expect(lastValue(o.store, 'up', instanceOf(o.healthy))).toBe(1);
}

describe('label limits are on by default', () => {
  it('refuses a 1 MB label value: label_value_length_limit 4096', async () => {
    const hostile = await target(() => `small 1\nhuge{v="${'x'.repeat(1024 * 1024)}"} 1\n`);
    const o = await scrapeWithPolicyDefaults(hostile);
    expectOnlyHostileFailed(
      o,
      hostile,
      'label value length limit 4096 exceeded: label v of series huge is 1048576 bytes',
    );
    // Nothing of the scrape was stored, not even the series that was fine.
    expect(stored(o.store, 'small')).toEqual([]);
    expect(stored(o.store, 'huge')).toEqual([]);
  });

  it('refuses a 300-byte label name: label_name_length_limit 256', async () => {
    const name = `l${'n'.repeat(299)}`;
    const hostile = await target(() => `long{${name}="1"} 1\n`);
    const o = await scrapeWithPolicyDefaults(hostile);
    expectOnlyHostileFailed(
      o,
      hostile,
      `label name length limit 256 exceeded: label ${name.slice(0, 57)}... of series long is 300 bytes`,
    );
  });

  it('refuses a series with 100 labels: label_limit 64', async () => {
    const labels = Array.from({ length: 100 }, (_, i) => `l${i}="v"`).join(',');
    const hostile = await target(() => `wide{${labels}} 1\n`);
    const o = await scrapeWithPolicyDefaults(hostile);
    // 100 own labels + __name__ + instance + job.
    expectOnlyHostileFailed(o, hostile, 'label limit 64 exceeded: series wide has 103 labels');
  });

  it('keeps a series right at every limit', async () => {
    const labels = Array.from({ length: 60 }, (_, i) => `l${i}="v"`).join(',');
    const hostile = await target(
      () => `edge{${labels},${'n'.repeat(256)}="${'x'.repeat(4096)}"} 1\n`,
    );
    const o = await scrapeWithPolicyDefaults(hostile);
    expect(o.reports[0].error).toBeNull();
    expect(stored(o.store, 'edge')).toHaveLength(1);
  });
});

/** Scrape `n` sends `perScrape` series no scrape sent before: the churn of a label set to a request id. */
const churn = (perScrape: number) => (n: number) =>
  Array.from({ length: perScrape }, (_, i) => `churn{id="${n}-${i}"} ${i}\n`).join('');

describe('series limits', () => {
  it('fails a churning target at its series_limit, counting what it still holds', async () => {
    const churner = await target(churn(300));
    const healthy = await track(healthyTarget());
    const dir = mkdtempSync(join(tmpdir(), 'kpi-series-limit-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      configPath,
      `scrape: { interval: 1h, limits: { series_limit: 1000 } }
targets:
  - { url: ${churner.url}, job: churner }
  - { url: ${healthy.url}, job: healthy }
kpis: []
`,
    );
    const server = await startServer({
      configPath,
      dataDir: join(dir, 'data'),
      port: 0,
      processMetrics: false,
      // In process, so the test can read the head the scrapes wrote to.
      engineWorker: false,
    });
    cleanups.push(() => server.close());
    const [bad, good] = server.targets().map((t) => t.id);
    await server.scrape.scrapeNow(good);
    const errors: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) errors.push((await server.scrape.scrapeNow(bad)).error?.message);

    // 300, 600, 900 held; the fourth scrape would make 1 200.
    expect(errors).toEqual([
      undefined,
      undefined,
      undefined,
      'series limit 1000 exceeded: the target holds 900 series and sent 300 new ones',
      'series limit 1000 exceeded: the target holds 900 series and sent 300 new ones',
    ]);
    expect(stored(server.head!, 'churn')).toHaveLength(900);
    expect(lastValue(server.head!, 'up', instanceOf(churner))).toBe(0);
    const health = server.scrape.health().find((h) => h.id === bad)!;
    expect([health.health, health.lastError]).toEqual(['down', errors[3]]);
    // The healthy target is untouched.
    expect((await server.scrape.scrapeNow(good)).error).toBeNull();
    expect(stored(server.head!, 'healthy_requests_total')).toHaveLength(2);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain(
      'kpi_lights_scrape_limit_refusals_total{job="churner",limit="series-limit"} 2',
    );
    expect(metrics).not.toMatch(/kpi_lights_scrape_limit_refusals_total\{job="healthy"/);
  });

  it('fails the scrape that would pass the head-wide limit and evicts nobody', async () => {
    const churner = await target(churn(400));
    const healthy = await track(healthyTarget());
    const store = createHead({ maxSeries: 1_000 });
    const manager = new ScrapeManager({
      store,
      defaults: { seriesLimit: 0 },
      targets: [{ url: healthy.url }, { url: churner.url }],
    });
    cleanups.push(() => manager.stop());
    const [good, bad] = manager.health().map((h) => h.id);
    expect((await manager.scrapeNow(good)).error).toBeNull();
    const reports = [];
    for (let i = 0; i < 3; i++) reports.push(await manager.scrapeNow(bad));
    // 2 healthy + 5 synthetic, then 400 + 5 and 400 more: 812 held, room for 188.
    expect(reports.map((r) => r.error?.message)).toEqual([
      undefined,
      undefined,
      'head series limit reached: 400 new series, room for 188; other targets keep theirs',
    ]);
    expect(reports[2].error?.kind).toBe('series-limit');
    expect(store.seriesCount).toBe(812);
    expect(lastValue(store, 'up', instanceOf(churner))).toBe(0);
    expect((await manager.scrapeNow(good)).error).toBeNull();
    expect(stored(store, 'healthy_requests_total').map((s) => s.v)).toEqual([
      [42, 42],
      [1, 1],
    ]);
  });

  it('marks a removed target stale at once and frees its series at the next truncate', async () => {
    const churner = await target(churn(500));
    const healthy = await track(healthyTarget());
    const store = createHead();
    const manager = new ScrapeManager({
      store,
      targets: [{ url: healthy.url }, { url: churner.url }],
    });
    cleanups.push(() => manager.stop());
    const [good, bad] = manager.health().map((h) => h.id);
    await manager.scrapeNow(good);
    await manager.scrapeNow(bad);
    await manager.scrapeNow(bad);
    expect(store.seriesCount).toBe(7 + 1_005);
    const bytesBefore = store.stats().bytes;

    await manager.update([{ url: healthy.url }]);
    // Stale at once: the second scrape's series and the target's `up` end in a marker.
    expect(lastIsStale(store, 'up', instanceOf(churner))).toBe(true);
    const latest = stored(store, 'churn').filter((s) => s.labels.id.startsWith('1-'));
    expect(latest).toHaveLength(500);
    expect(latest.every((s) => s.stale.at(-1))).toBe(true);
    expect(store.seriesCount).toBe(1_012);

    // The next retention run, minutes and not hours later, frees them; the healthy target stays.
    store.applyRetention(Date.now() + 60_000);
    expect(store.seriesCount).toBe(7);
    expect(stored(store, 'churn')).toEqual([]);
    expect(stored(store, 'healthy_requests_total').map((s) => s.v)).toEqual([[42], [1]]);
    expect(store.stats().bytes).toBeLessThan(bytesBefore / 10);
  });

  it('keeps a released series that another target writes to again', () => {
    const store = createHead();
    const ref = store.getOrCreate({ __name__: 'shared', job: 'x' });
    const t = Date.now();
    store.append(ref, t, 1);
    // What retiring a target does: a staleness marker, then the release.
    store.append(ref, t + 500, STALE_NAN);
    store.release([ref]);
    // The same series written by its new owner after the release: not the removed target's.
    store.append(ref, t + 1_000, 2);
    store.applyRetention(t + 2_000);
    expect(store.holds(ref)).toBe(true);
    expect(store.lastSample(ref)).toEqual({ t: t + 1_000, v: 2 });
  });
});
