/** Samples across `kill -9`: a real server process scraping 100 targets, killed and started again on its data folder. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { sseEvents } from '#test-support/sse-events.js';
import { waitFor } from '#test-support/wait-for.js';
import type { KpiReading, TargetHealth } from '../../src/sdk/types.js';

const TARGETS = 100;
const TEST_BOUND_MS = 90_000;

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

async function serve(config: string, dataDir: string): Promise<Served> {
  const { child } = runCli(
    ['serve', '--config', config, '--port', '0', '--data-dir', dataDir],
    {},
    'node',
  );
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await servedUrl(child, 30_000);
  return { child, url, stderr: () => err };
}

/**
 * A server whose files may not pass `kib` KiB (the shell's `ulimit -f`): once the sample WAL
 * reaches it, every write to it fails with the kernel's EFBIG, as on a full disk.
 */
async function serveLimited(config: string, dataDir: string, kib: number): Promise<Served> {
  const args = [
    '--import',
    'tsx',
    'src/server/cli/cli.ts',
    'serve',
    '--config',
    config,
    '--port',
    '0',
    '--data-dir',
    dataDir,
  ];
  const child = spawn(
    'bash',
    ['-c', `ulimit -f ${kib} && exec "$0" "$@"`, process.execPath, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await servedUrl(child, 30_000);
  return { child, url, stderr: () => err };
}

function kill(served: Served): Promise<void> {
  return new Promise((resolve) => {
    if (served.child.exitCode !== null || served.child.signalCode !== null) return resolve();
    served.child.once('exit', () => resolve());
    served.child.kill('SIGKILL');
  });
}

async function query(url: string, path: string, params: Record<string, string>) {
  const res = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params)}`);
  const body = (await res.json()) as {
    status: string;
    data: {
      result: {
        metric: Record<string, string>;
        values?: [number, string][];
        value?: [number, string];
      }[];
    };
  };
  if (body.status !== 'success') throw new Error(`${path} failed: ${JSON.stringify(body)}`);
  return body.data.result;
}

/** Series → their points, keyed by the label set's text. */
function byLabels(result: Awaited<ReturnType<typeof query>>): Map<string, [number, string][]> {
  return new Map(result.map((r) => [JSON.stringify(r.metric), r.values ?? []]));
}

/** The first reading of each KPI the restarted server gives: in the stream's snapshot, or its first events. */
async function firstReadings(
  url: string,
  ids: readonly string[],
): Promise<Map<string, KpiReading>> {
  const found = new Map<string, KpiReading>();
  const res = await fetch(`${url}/api/v1/stream`);
  for await (const e of sseEvents(res)) {
    if (e.event === 'snapshot') {
      const snap = JSON.parse(e.data) as { kpis: KpiReading[] };
      for (const r of snap.kpis) if (!found.has(r.id)) found.set(r.id, r);
    } else if (e.event === 'kpi') {
      const r = JSON.parse(e.data) as KpiReading;
      if (!found.has(r.id)) found.set(r.id, r);
    }
    if (ids.every((id) => found.has(id))) break;
  }
  return found;
}

describe('samples across kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-storage-restart-'));
  const born = Date.now();
  let exporter: LocalServer;
  const running: Served[] = [];

  beforeAll(async () => {
    // 100 services, each with a counter that grows with time.
    // 3000 gauges that change every scrape, for a target whose WAL grows fast.
    const many = (t: number) =>
      Array.from({ length: 3000 }, (_, i) => `bulk_gauge{i="${i}"} ${(t * 7 + i) % 1013}`).join(
        '\n',
      );
    exporter = await serveLocal(
      new Hono()
        .get('/t/:i/metrics', (c) => {
          const i = Number(c.req.param('i'));
          const count = Math.floor((Date.now() - born) / 10) * (1 + (i % 3));
          return c.text(`# TYPE requests_total counter\nrequests_total{route="/file"} ${count}\n`);
        })
        .get('/many/metrics', (c) => c.text(`${many(Date.now())}\n`)),
    );
  });

  afterAll(async () => {
    await Promise.all(running.map(kill));
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'keeps every scrape but at most the last one per target, and the first round reads values',
    async () => {
      const targets = Array.from(
        { length: TARGETS },
        (_, i) => `  - url: ${exporter.url}/t/${i}/metrics\n    labels: { service: svc-${i} }`,
      ).join('\n');
      const config = join(dir, 'kpi-lights.yaml');
      writeFileSync(
        config,
        `scrape: { interval: 1s, timeout: 1s }
targets:
${targets}
kpis:
  - id: request-rate
    title: Requests a second
    query: sum(rate(requests_total[30s]))
    unit: count
    thresholds: { warning: 1e9, critical: 2e9 }
  - id: history-depth
    title: Scrapes of the least-scraped target in the last hour
    query: min(count_over_time(up[1h]))
    unit: count
    direction: lower-is-worse
    thresholds: { warning: 0, critical: -1 }
evaluation: { interval: 1s }
`,
      );
      const data = join(dir, 'data');
      const first = await serve(config, data);
      running.push(first);
      const depth = async (url: string) =>
        Number(
          (await query(url, 'query', { query: 'min(count_over_time(up[1h]))' }))[0]?.value?.[1] ??
            0,
        );
      await waitFor(async () => (await depth(first.url)) >= 8, { timeoutMs: 30_000, everyMs: 200 });

      // What the last hour holds now, raw and as a range query, then the kill.
      const at = Date.now() / 1000;
      const rawBefore = byLabels(
        await query(first.url, 'query', { query: 'requests_total[1h]', time: String(at) }),
      );
      const rangeParams = {
        query: 'sum(requests_total)',
        start: String(at - 3600),
        end: String(at),
        step: '1',
      };
      const rangeBefore = byLabels(await query(first.url, 'query_range', rangeParams));
      const depthBefore = await depth(first.url);
      await kill(first);

      const second = await serve(config, data);
      running.push(second);
      const readings = await firstReadings(second.url, ['request-rate', 'history-depth']);
      await waitFor(() => /samples: replayed \d+ series/.test(second.stderr()), {
        timeoutMs: 10_000,
        everyMs: 50,
      });

      // The first round after the restart reads values from what was on disk.
      const rate = readings.get('request-rate')!;
      expect(rate.status).not.toBe('unknown');
      expect(rate.value).toBeGreaterThan(0);
      expect(readings.get('history-depth')!.value).toBeGreaterThanOrEqual(depthBefore - 1);

      // Every sample of the last hour is back, but at most each target's last scrape.
      const rawAfter = byLabels(
        await query(second.url, 'query', { query: 'requests_total[1h]', time: String(at) }),
      );
      expect(rawAfter.size).toBe(TARGETS);
      let lost = 0;
      for (const [series, before] of rawBefore) {
        const after = rawAfter.get(series) ?? [];
        // A scrape in flight when the query ran may be back after the restart but not in it.
        const common = Math.min(before.length, after.length);
        expect(Math.abs(before.length - after.length)).toBeLessThanOrEqual(1);
        expect(after.slice(0, common)).toEqual(before.slice(0, common));
        lost += Math.max(0, before.length - after.length);
      }
      // The range query agrees up to a second before the kill's last scrapes.
      const [sumBefore] = [...rangeBefore.values()];
      const [sumAfter] = [
        ...byLabels(await query(second.url, 'query_range', rangeParams)).values(),
      ];
      const settled = (points: [number, string][]) => points.filter(([t]) => t <= at - 1.5);
      expect(settled(sumAfter)).toEqual(settled(sumBefore));
      console.log(
        `${rawBefore.size} series, ${[...rawBefore.values()].reduce((n, p) => n + p.length, 0)} samples before the kill; ${lost} lost`,
      );
    },
    TEST_BOUND_MS,
  );

  it(
    'starts on a torn WAL tail and a damaged chunk, says what it dropped, and serves the rest',
    async () => {
      const data = join(dir, 'damaged');
      // Six hours of three series, backfilled: sealed chunks in chunk files.
      const now = Date.now();
      const lines = ['# TYPE backlog gauge'];
      for (const s of ['a', 'b', 'c']) {
        for (let t = now - 6 * 3_600_000; t < now - 60_000; t += 15_000) {
          lines.push(`backlog{s="${s}"} ${(t / 15_000) % 97} ${t / 1000}`);
        }
      }
      lines.push('# EOF', '');
      const file = join(dir, 'backlog.om');
      writeFileSync(file, lines.join('\n'));
      const imported = await runCli(['import', 'openmetrics', file, '--data-dir', data], {}, 'node')
        .done;
      expect(imported.stdout).toMatch(/imported \d+ samples of 3 series/);
      const perSeries = (lines.length - 3) / 3;

      // A server on top, killed after a few scrapes: its WAL is in use.
      const config = join(dir, 'damaged.yaml');
      writeFileSync(
        config,
        `scrape: { interval: 1s, timeout: 1s }
targets:
  - url: ${exporter.url}/t/0/metrics
kpis:
  - id: backlog
    title: Backlog
    query: max(backlog)
    unit: count
    thresholds: { warning: 1000, critical: 2000 }
evaluation: { interval: 1s }
`,
      );
      const first = await serve(config, data);
      running.push(first);
      const scrapes = async () =>
        Number(
          (await query(first.url, 'query', { query: 'count_over_time(up[1m])' }))[0]?.value?.[1] ??
            0,
        );
      await waitFor(async () => (await scrapes()) >= 3, { timeoutMs: 20_000, everyMs: 200 });
      await kill(first);

      // Tear the newest WAL segment's last record, and flip a byte in the first chunk's bits.
      const walDir = join(data, 'samples', 'wal');
      const segment = join(walDir, readdirSync(walDir).sort().at(-1)!);
      const wal = readFileSync(segment);
      writeFileSync(segment, wal.subarray(0, wal.length - 3));
      const chunkDir = join(data, 'samples', 'chunks');
      const chunkFile = join(chunkDir, readdirSync(chunkDir).sort()[0]);
      const chunks = readFileSync(chunkFile);
      chunks[16 + 23 + 7] ^= 0x5a;
      writeFileSync(chunkFile, chunks);
      expect(statSync(chunkFile).size).toBe(chunks.length);

      const second = await serve(config, data);
      running.push(second);
      // The worker's lines reach the process's stderr a moment after the startup line.
      await waitFor(() => /samples: replayed/.test(second.stderr()), {
        timeoutMs: 10_000,
        everyMs: 50,
      });
      const log = second.stderr();
      expect(log).toMatch(
        /write-ahead log segment \d+: a record is cut short at offset \d+; the last \d+ bytes are cut off/,
      );
      const damaged = /a chunk of backlog\{s="(\w)"\} from (\S+) to (\S+) fails its checksum/.exec(
        log,
      );
      expect(damaged).not.toBeNull();
      // The chunk's samples, 15 s apart (the first chunk ends at a 2 h boundary, so it may hold fewer than 120).
      const dropped = (Date.parse(damaged![3]) - Date.parse(damaged![2])) / 15_000 + 1;
      const counts = await query(second.url, 'query', { query: 'count_over_time(backlog[7h])' });
      const countOf = (s: string) => Number(counts.find((r) => r.metric.s === s)?.value?.[1] ?? 0);
      for (const s of ['a', 'b', 'c']) {
        expect(countOf(s)).toBe(s === damaged![1] ? perSeries - dropped : perSeries);
      }
    },
    TEST_BOUND_MS,
  );

  // `ulimit -f` and EFBIG as Linux's bash and kernel give them.
  it.skipIf(process.platform !== 'linux')(
    'fails the scrape with the reason on up and /api/v1/targets when writes fail, and reads go on',
    async () => {
      const config = join(dir, 'limited.yaml');
      writeFileSync(
        config,
        `scrape: { interval: 1s, timeout: 1s }
targets:
  - url: ${exporter.url}/many/metrics
    labels: { service: bulk }
kpis:
  - id: bulk-up
    title: Bulk target up
    query: max(up)
    unit: count
    direction: lower-is-worse
    thresholds: { warning: 0.5, critical: 0.1 }
evaluation: { interval: 1s }
`,
      );
      const served = await serveLimited(config, join(dir, 'limited'), 512);
      running.push(served);
      const targets = async () =>
        (await (await fetch(`${served.url}/api/v1/targets`)).json()) as TargetHealth[];
      // Each scrape writes ~30 KiB of WAL: the 512 KiB limit is reached within seconds.
      await waitFor(async () => (await targets())[0]?.health === 'down', {
        timeoutMs: 40_000,
        everyMs: 200,
      });
      const [target] = await targets();
      expect(target.lastError).toMatch(
        /^writing the write-ahead log failed: EFBIG: file too large/,
      );
      const up = await query(served.url, 'query', { query: 'up' });
      expect(up[0].value?.[1]).toBe('0');
      // Reads go on, over samples the disk could not take.
      const held = await query(served.url, 'query', {
        query: 'count(count_over_time(bulk_gauge[1m]))',
      });
      expect(Number(held[0].value?.[1])).toBe(3000);
      expect(served.child.exitCode).toBeNull();
    },
    TEST_BOUND_MS,
  );
});
