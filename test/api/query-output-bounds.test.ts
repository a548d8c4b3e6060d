/** The query API bounds what it returns, not only what it reads: label blow-ups and count_values get 422 while monitoring goes on. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CountingTarget,
  countingTarget,
  monitoringGoesOn,
} from '#test-support/watched-monitoring.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

/** 4 000 characters: under the scrape's 4 KiB label value limit, as in the probe. */
const BIG = 'a'.repeat(4_000);
/** Series with distinct values, for count_values to make one series per value and step. */
const WIDE = 5_000;
/** Lowered from 50 000 000 so the refusal comes after ~30 MB, not ~450 MB, on a shared machine. */
const MAX_SAMPLES = 3_000_000;

function exposition(): string {
  const lines = ['# TYPE queue_depth gauge', 'queue_depth 3', `big{src="${BIG}"} 1`];
  for (let k = 0; k < WIDE; k++) lines.push(`wide{k="${k}"} ${k}`);
  return `${lines.join('\n')}\n`;
}

const INTERVAL_MS = 1_000;

/**
 * Scrapes kept their 1 s schedule: the ones seen took at most two slots more than their own.
 * Matching a regex over the 4 MB label holds the engine worker for about a second, and scrapes
 * share that worker until the storage work moves them (issue 22's H1).
 */
function onSchedule(seen: { scrapes: number; watchedMs: number }): void {
  expect(seen.watchedMs).toBeLessThan((seen.scrapes + 2) * INTERVAL_MS);
}

/**
 * A range of `steps` one-millisecond steps ending now: every step is after the first scrape and
 * within the lookback, so each series has a point at each step however long the test ran.
 */
function recentSteps(steps: number): Record<string, string> {
  const end = Date.now() / 1000;
  return {
    start: (end - (steps - 1) / 1000).toFixed(3),
    end: end.toFixed(3),
    step: '0.001',
  };
}

describe('query output bounds on a running server', () => {
  let dir: string;
  let target: CountingTarget;
  let server: ServerHandle;

  beforeAll(async () => {
    target = await countingTarget(exposition());
    dir = mkdtempSync(join(tmpdir(), 'kpi-query-bounds-'));
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      configPath,
      `scrape: { interval: 1s, timeout: 900ms }
targets:
  - url: ${target.url}
kpis:
  - id: depth
    title: Queue depth
    query: sum(queue_depth)
    unit: count
    thresholds: { warning: 10, critical: 20 }
evaluation: { interval: 1s }
`,
    );
    server = await startServer({
      configPath,
      port: 0,
      dataDir: join(dir, 'data'),
      processMetrics: false,
      queryMaxSamples: MAX_SAMPLES,
      report: () => {},
    });
    await monitoringGoesOn({ server: server.url, target, scrapes: 1 });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function query(path: string, params: Record<string, string>) {
    const res = await fetch(`${server.url}/api/v1/${path}`, {
      method: 'POST',
      body: new URLSearchParams(params),
    });
    const text = await res.text();
    return { status: res.status, bytes: text.length, body: JSON.parse(text) as unknown };
  }

  it('stops a label_replace that blows a 4 KB label up to 400 MB with 422, before building it', async () => {
    // ×1000 makes a 4 MB value (under 32 MiB), then ×100 of that would be 400 MB.
    const thousand = '$1'.repeat(1_000);
    const hundred = '$1'.repeat(100);
    const expr = `label_replace(label_replace(big, "x", "${thousand}", "src", "(.*)"), "y", "${hundred}", "x", "(.*)")`;
    const watching = monitoringGoesOn({ server: server.url, target });
    const started = performance.now();
    const answer = await query('query', { query: expr });
    const tookMs = performance.now() - started;
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      status: 'error',
      errorType: 'execution',
      error:
        'query processing would load too many bytes into memory in query execution: the result passes the 32 MiB limit',
    });
    const seen = await watching;
    console.log(
      `label_replace blow-up: 422 in ${tookMs.toFixed(0)} ms (answer ${answer.bytes} bytes, was 404 MB); ` +
        `meanwhile ${seen.scrapes} scrapes in ${seen.watchedMs} ms, KPIs ${seen.statuses.join(',')}`,
    );
    expect(seen.statuses).toEqual(['ok']);
    onSchedule(seen);
    // The one 4 MB step alone is fine: it is not the size of one label that is refused.
    const once = await query('query', {
      query: `count(label_replace(big, "x", "${thousand}", "src", "(.*)"))`,
    });
    expect(once.status).toBe(200);
  });

  it('stops count_values over many steps of changing values with 422', async () => {
    // Each series' value changes every step, so every (series, step) is a new value: 1.5 M
    // series of 300 steps each, where the input was 5 000.
    const watching = monitoringGoesOn({ server: server.url, target });
    const answer = await query('query_range', {
      query: 'count_values("v", wide * 1000000 + time())',
      ...recentSteps(300),
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      status: 'error',
      errorType: 'execution',
      error: 'query processing would load too many samples into memory in query execution',
    });
    const seen = await watching;
    expect(seen.statuses).toEqual(['ok']);
    onSchedule(seen);
  });

  it('counts what an ordinary query returns: a range answer past the byte bound gets 422', async () => {
    // 5 000 series × 400 points ≈ 64 MB of JSON, past 32 MiB, though it reads 2 M samples,
    // under the 3 M it may load.
    const answer = await query('query_range', { query: 'wide', ...recentSteps(400) });
    expect(answer.status).toBe(422);
    expect((answer.body as { error: string }).error).toContain(
      'the result passes the 32 MiB limit',
    );
    // Fewer steps of the same series fit.
    const small = await query('query_range', { query: 'wide', ...recentSteps(10) });
    expect(small.status).toBe(200);
  });

  it('answers a 500-term sum and a 1 000-deep subquery with errors that say what is wrong', async () => {
    const sum = Array.from({ length: 500 }, () => 'count(up)').join('+');
    let deep = 'up';
    for (let i = 0; i < 1_000; i++) deep = `sum_over_time((${deep})[5m:1m])`;
    const [long, nested] = await Promise.all([
      query('query', { query: sum }),
      query('query', { query: deep }),
    ]);
    expect([long.status, nested.status]).toEqual([400, 400]);
    expect(long.body).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error:
        "query too long for this engine's parser: 499 operators in one expression; split it into smaller queries or recording rules",
    });
    expect((nested.body as { error: string }).error).toBe(
      "query nested too deeply for this engine's parser: 2000 levels of brackets; split it into smaller queries or recording rules",
    );
  });
});
