/**
 * A server process with a lowered open-file limit under slowloris and a stream flood: caps hold,
 * refusals are counted, /readyz answers, scrapes keep their schedule and descriptors.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedUrl } from '#test-support/cli-process.js';
import {
  type CountingTarget,
  countingTarget,
  monitoringGoesOn,
} from '#test-support/watched-monitoring.js';

/** The server's `ulimit -n`: far below the sockets the attack opens, as 20 000 was in the probe. */
const FILE_LIMIT = 384;
const TOKEN = 'flood-test-read-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** Half-open sockets from one address, and from each of the others. */
const FROM_ONE = 300;
const OTHER_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${10 + i}`);
const FROM_EACH_OTHER = 40;
const ATTACK_MS = 6_000;
const HEADER_TIMEOUT_MS = 2_000;

/** One answer to a request from a chosen local address. */
interface Answer {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

/** GET `url` from local address `from`, on a fresh connection. */
function getFrom(url: string, from: string, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: from, agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A stream opened from `from`: its status, and the response to close later. */
function streamFrom(
  url: string,
  from: string,
): Promise<{ status: number; res: IncomingMessage; body: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: from, agent: false, headers: AUTH }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      const ended = new Promise<string>((r) => {
        res.on('data', (d: string) => {
          if (body.length < 4_096) body += d;
        });
        res.on('end', () => r(body));
        res.on('close', () => r(body));
      });
      resolve({ status: res.statusCode ?? 0, res, body: ended });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Slowloris from `from`: `count` sockets each sending half a request; each reconnects half a
 * second after it is closed, until the attack ends. Bounded in sockets and time.
 */
function slowloris(port: number, from: string, count: number, until: number, all: Socket[]) {
  const stats = { connects: 0, answered408: 0, refused: 0, slowest408Ms: 0 };
  const open = () => {
    stats.connects++;
    const opened = Date.now();
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    all.push(socket);
    let head = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write('GET /api/v1/kpis HTTP/1.1\r\nHost: x\r\nX-Slow: '));
    socket.on('data', (d: string) => {
      if (head.length < 32) head += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (head.startsWith('HTTP/1.1 408')) {
        stats.answered408++;
        stats.slowest408Ms = Math.max(stats.slowest408Ms, Date.now() - opened);
      } else if (/^HTTP\/1\.1 (429|503)/.test(head)) stats.refused++;
      if (Date.now() + 500 < until) setTimeout(open, 500).unref();
    });
  };
  for (let i = 0; i < count; i++) open();
  return stats;
}

function openDescriptors(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

const linux = process.platform === 'linux';
if (!linux) {
  console.warn(
    'skipping the connection flood test: it reads /proc for the open-file limit and descriptors',
  );
}

describe.skipIf(!linux)('a server under connection floods, with ulimit -n 384', () => {
  let dir: string;
  let target: CountingTarget;
  let child: ChildProcess;
  let url: string;
  let port: number;
  let stderr = '';

  beforeAll(async () => {
    target = await countingTarget('# TYPE queue_depth gauge\nqueue_depth 3\n');
    dir = mkdtempSync(join(tmpdir(), 'kpi-flood-'));
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
auth:
  read: token
  tokens:
    - { name: reader, token: ${TOKEN}, scopes: [read] }
evaluation: { interval: 1s }
`,
    );
    const args = [
      ...['--import', 'tsx', 'src/server/cli/cli.ts', 'serve', '--config', configPath],
      ...['--port', '0', '--data-dir', join(dir, 'data')],
      ...['--http.max-connections-per-client', '40'],
      ...['--http.header-timeout', `${HEADER_TIMEOUT_MS / 1000}s`],
      ...['--http.max-streams', '40', '--http.max-streams-per-client', '10'],
    ];
    // `exec`, so the server is the shell's own process and the limit is its own.
    child = spawn(
      'sh',
      ['-c', `ulimit -n ${FILE_LIMIT} && exec "$0" "$@"`, process.execPath, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    child.stderr!.on('data', (d) => (stderr += d));
    url = await servedUrl(child, 30_000);
    port = Number(new URL(url).port);
    await monitoringGoesOn({ server: url, target, token: TOKEN, scrapes: 1 });
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says it lowered the connection cap to keep descriptors for scrapes', () => {
    // 384 − a quarter kept (96) − 64 refusal slots.
    expect(stderr).toContain(
      'lowered --http.max-connections from 1024 to 224: the process may open 384 files (ulimit -n)',
    );
  });

  it('holds slowloris to its caps: 408 at the header timeout, refusals counted, /readyz up, scrapes on schedule', async () => {
    const pid = child.pid!;
    const sockets: Socket[] = [];
    const until = Date.now() + ATTACK_MS;
    const hitsBefore = target.hits();
    const attackers = [
      slowloris(port, '127.0.0.1', FROM_ONE, until, sockets),
      ...OTHER_ADDRESSES.map((a) => slowloris(port, a, FROM_EACH_OTHER, until, sockets)),
    ];
    const probes: Answer[] = [];
    const apiStatuses: number[] = [];
    let peakFds = 0;
    while (Date.now() < until) {
      peakFds = Math.max(peakFds, openDescriptors(pid));
      probes.push(await getFrom(`${url}/readyz`, '127.0.0.2'));
      const api = await getFrom(`${url}/api/v1/kpis`, '127.0.0.3', AUTH);
      apiStatuses.push(api.status);
      if (api.status !== 200) expect(JSON.parse(api.body)).toMatchObject({ status: api.status });
      await new Promise((r) => setTimeout(r, 200));
    }
    const scrapes = target.hits() - hitsBefore;
    for (const s of sockets) s.destroy();
    const connects = attackers.reduce((n, a) => n + a.connects, 0);
    const answered408 = attackers.reduce((n, a) => n + a.answered408, 0);
    const refused = attackers.reduce((n, a) => n + a.refused, 0);
    const slowest408 = Math.max(...attackers.map((a) => a.slowest408Ms));
    console.log(
      `slowloris for ${ATTACK_MS / 1000} s: ${connects} connections (${FROM_ONE + OTHER_ADDRESSES.length * FROM_EACH_OTHER} at once), ` +
        `${answered408} cut with 408 (the slowest after ${slowest408} ms), ${refused} refused with 429/503; server descriptors peaked at ${peakFds} of ${FILE_LIMIT}; ` +
        `${probes.length} /readyz all ${[...new Set(probes.map((p) => p.status))]}, slowest ${Math.max(...probes.map((p) => p.ms)).toFixed(0)} ms; ` +
        `API answers ${[...new Set(apiStatuses)]}; ${scrapes} scrapes`,
    );
    // /readyz answered throughout, however full the server was (before: unreachable for 42 s).
    // The bound allows for the attack itself sharing the machine's two cores with the server.
    expect(probes.every((p) => p.status === 200)).toBe(true);
    expect(Math.max(...probes.map((p) => p.ms))).toBeLessThan(3_000);
    // The server never ran out of descriptors: clients held at most their cap and slots.
    expect(peakFds).toBeLessThan(FILE_LIMIT - 32);
    expect(stderr).not.toContain('EMFILE');
    // Held sockets were cut at the header timeout, so the attackers had to come back.
    expect(answered408).toBeGreaterThan(0);
    // The timeout, at most one check a second later, and a busy machine (the attackers' own
    // event loop shares it with the suite's other files: 2.7 s late seen once): before, ~67 s.
    expect(slowest408).toBeLessThan(HEADER_TIMEOUT_MS + 4_000);
    expect(refused).toBeGreaterThan(0);
    // Scrapes kept their 1 s schedule: one a second, give or take one at each end.
    expect(scrapes).toBeGreaterThanOrEqual(ATTACK_MS / 1000 - 2);

    const seen = await monitoringGoesOn({ server: url, target, token: TOKEN, scrapes: 2 });
    expect(seen.statuses).toEqual(['ok']);
    const targets = JSON.parse((await getFrom(`${url}/api/v1/targets`, '127.0.0.2', AUTH)).body);
    expect(targets).toMatchObject([{ health: 'up' }]);
    const metrics = (await getFrom(`${url}/metrics`, '127.0.0.2', AUTH)).body;
    const count = (reason: string) =>
      Number(
        new RegExp(`kpi_lights_http_connections_refused_total\\{reason="${reason}"\\} (\\d+)`).exec(
          metrics,
        )?.[1] ?? 0,
      );
    expect(count('per-client')).toBeGreaterThan(0);
    expect(count('total')).toBeGreaterThan(0);
  }, 60_000);

  it('caps event streams per client (429) and in total (503), with monitoring going on', async () => {
    const stream = `${url}/api/v1/stream`;
    const mine = await Promise.all(
      Array.from({ length: 15 }, () => streamFrom(stream, '127.0.0.30')),
    );
    const statuses = mine.map((s) => s.status).sort();
    expect(statuses).toEqual([...Array(10).fill(200), ...Array(5).fill(429)]);
    const refused = mine.find((s) => s.status === 429)!;
    expect(JSON.parse(await refused.body)).toMatchObject({
      status: 429,
      detail:
        'this client address holds its most event streams (10); close one, or share one stream per page',
    });
    const others = await Promise.all(
      ['127.0.0.31', '127.0.0.32', '127.0.0.33'].flatMap((a) =>
        Array.from({ length: 10 }, () => streamFrom(stream, a)),
      ),
    );
    expect(others.every((s) => s.status === 200)).toBe(true);
    const full = await streamFrom(stream, '127.0.0.34');
    expect(full.status).toBe(503);
    expect(JSON.parse(await full.body)).toMatchObject({
      detail: 'the server holds its most event streams (40); try again later',
    });
    expect((await getFrom(`${url}/readyz`, '127.0.0.2')).status).toBe(200);
    const seen = await monitoringGoesOn({
      server: url,
      target,
      token: TOKEN,
      get: async (u, headers) => {
        const a = await getFrom(u, '127.0.0.2', headers);
        return new Response(a.body, { status: a.status });
      },
    });
    expect(seen.statuses).toEqual(['ok']);
    expect(seen.watchedMs).toBeLessThan((seen.scrapes + 2) * 1_000);
    const metrics = (await getFrom(`${url}/metrics`, '127.0.0.2', AUTH)).body;
    expect(metrics).toMatch(/kpi_lights_sse_refused_total\{reason="per-client"\} 5/);
    expect(metrics).toMatch(/kpi_lights_sse_refused_total\{reason="total"\} 1/);
    for (const s of [...mine, ...others, full]) s.res.destroy();
  }, 60_000);
});
