/** Limits against a hostile target on 127.0.0.1: huge labels and churning series fail that target's scrape, and nobody else's. */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../src/server/policy/index.js';
import { scrapeTargetsOf } from '../src/server/policy-reload.js';
import { ScrapeManager } from '../src/server/scrape/scrape-manager.js';
import type { ScrapeReport } from '../src/server/scrape/scrape-target.js';
import { createHead, type MemoryHead } from '../src/server/store/memory-head.js';
import {
  healthyTarget,
  instanceOf,
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
