/** Benchmark: req/s of one Hono route bare, with an empty middleware, with our exporter's and with @hono/prometheus's, over loopback. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { prometheus } from '@hono/prometheus';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { createExporter } from '../src/exporter/index.js';
import { parseExposition } from '../src/server/scrape/exposition/parse-exposition.js';

const SERVERS = ['bare', 'empty', 'ours', 'hono-prometheus'] as const;
type ServerKind = (typeof SERVERS)[number];
const LABEL: Record<ServerKind, string> = {
  bare: 'bare Hono',
  empty: 'Hono + an empty middleware',
  ours: 'Hono + kpi-lights exporter',
  'hono-prometheus': 'Hono + @hono/prometheus',
};
// Many short rounds rather than a few long ones: on a shared 2-core machine the noise comes in
// bursts, and a burst then spoils one round of each server alike instead of one server's figure.
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const SECONDS = Number(process.env.SECONDS ?? 2);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 10;
const PATH = '/filings/42';

// ── server side: `bench/exporter.ts --serve <kind>` runs one server and prints its port ──

function appFor(kind: ServerKind): Hono {
  const app = new Hono();
  if (kind === 'empty') {
    // The floor any middleware pays: Hono then dispatches through compose, not to the handler alone.
    app.use(async function empty(_c, next) {
      await next();
    });
  } else if (kind === 'ours') {
    const exporter = createExporter({ constLabels: { service: 'bench' } });
    app.use(exporter.middleware);
    app.get('/metrics', exporter.handler);
  } else if (kind === 'hono-prometheus') {
    const { printMetrics, registerMetrics } = prometheus();
    app.use('*', registerMetrics);
    app.get('/metrics', printMetrics);
  }
  app.get('/filings/:id', (c) => c.json({ id: c.req.param('id'), status: 'received' }));
  return app;
}

async function runServer(kind: ServerKind): Promise<void> {
  const server = serve({ fetch: appFor(kind).fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`);
  // The parent holds the IPC channel: when it goes, for whatever reason, so does this server.
  process.on('disconnect', () => process.exit(0));
  // CPU time this process has used, in µs: unlike req/s, it barely moves when other work on the
  // machine steals the cores, so it tells the middleware's cost apart from the neighbours' noise.
  process.on('message', (message) => {
    if (message !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
  });
}

// ── load side: start the four servers, then interleave short autocannon rounds ──

interface Running {
  readonly kind: ServerKind;
  readonly child: ChildProcess;
  readonly url: string;
}

async function startServer(kind: ServerKind): Promise<Running> {
  // A process per server, so autocannon's own CPU use lands outside the measured event loop.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', kind],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /port (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { kind, child, url: `http://127.0.0.1:${port}${PATH}` };
}

/** CPU µs the server's process has used so far. */
function cpuMicros(server: Running): Promise<number> {
  return new Promise((resolve) => {
    server.child.once('message', (m: { cpuMicros: number }) => resolve(m.cpuMicros));
    server.child.send('cpu');
  });
}

interface Measurement {
  /** Responses per second of wall time. */
  readonly rate: number;
  /** Server CPU time per response, in µs. */
  readonly cpuPerRequest: number;
  /** Responses received. */
  readonly total: number;
}

async function load(server: Running, seconds: number): Promise<Measurement> {
  const cpuBefore = await cpuMicros(server);
  const result = await autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds });
  const cpuAfter = await cpuMicros(server);
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${server.url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  }
  return {
    rate: result.requests.total / result.duration,
    cpuPerRequest: (cpuAfter - cpuBefore) / result.requests.total,
    total: result.requests.total,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Checks that an instrumented server counted the route by its pattern, and every request: a
 * request still in flight when a run stopped may be counted by the server and not by autocannon.
 */
async function checkCounted(server: Running, sent: number, runs: number): Promise<void> {
  const res = await fetch(new URL('/metrics', server.url));
  const { samples } = parseExposition(await res.text());
  const counted = samples
    .filter((s) => s.name === 'http_requests_total' && s.labels.route === '/filings/:id')
    .reduce((sum, s) => sum + s.value, 0);
  if (counted < sent || counted > sent + CONNECTIONS * runs) {
    throw new Error(`${server.kind}: counted ${counted} requests on /filings/:id, sent ${sent}`);
  }
}

async function runBenchmark(): Promise<void> {
  const servers = await Promise.all(SERVERS.map(startServer));
  try {
    console.log(
      `GET ${PATH} on 127.0.0.1, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s ` +
        `per server (order rotates each round), after ${WARMUP_SECONDS} s warm-up each`,
    );
    const sent = new Map<ServerKind, number>();
    for (const s of servers) sent.set(s.kind, (await load(s, WARMUP_SECONDS)).total);
    const runs = new Map<ServerKind, Measurement[]>(SERVERS.map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = servers.map((_, i) => servers[(i + round) % servers.length]);
      const line: string[] = [];
      for (const s of order) {
        const m = await load(s, SECONDS);
        runs.get(s.kind)?.push(m);
        sent.set(s.kind, (sent.get(s.kind) ?? 0) + m.total);
        line.push(`${s.kind} ${Math.round(m.rate)} req/s ${m.cpuPerRequest.toFixed(1)} µs`);
      }
      console.log(`  round ${round + 1}: ${line.join(', ')}`);
    }
    await Promise.all(
      servers
        .filter((s) => s.kind === 'ours' || s.kind === 'hono-prometheus')
        .map((s) => checkCounted(s, sent.get(s.kind) ?? 0, ROUNDS + 1)),
    );

    const rates = (k: ServerKind) => (runs.get(k) ?? []).map((m) => m.rate);
    const cpu = (k: ServerKind) => median((runs.get(k) ?? []).map((m) => m.cpuPerRequest));
    // Ratios are taken within each round, then the median: servers measured back to back share
    // the machine's mood, so a paired ratio is steadier than a ratio of medians.
    const rateRatio = (a: ServerKind, b: ServerKind) => {
      const bs = rates(b);
      return median(rates(a).map((x, i) => x / bs[i]));
    };
    // At saturation req/s is inversely proportional to CPU per request.
    const cpuRatio = (a: ServerKind, b: ServerKind) => cpu(b) / cpu(a);
    const pct = (ratio: number) => `${((1 - ratio) * 100).toFixed(1)} %`;
    console.log(
      '\n| server | median req/s | loss vs bare (req/s) | server CPU per request | loss vs bare (CPU) |',
    );
    console.log('|---|---:|---:|---:|---:|');
    for (const k of SERVERS) {
      const bare = k === 'bare';
      console.log(
        `| ${LABEL[k]} | ${Math.round(median(rates(k)))} | ${bare ? '—' : pct(rateRatio(k, 'bare'))} ` +
          `| ${cpu(k).toFixed(1)} µs | ${bare ? '—' : pct(cpuRatio(k, 'bare'))} |`,
      );
    }
    const ours = {
      rate: rateRatio('ours', 'hono-prometheus'),
      cpu: cpuRatio('ours', 'hono-prometheus'),
    };
    console.log(
      `\nours / @hono/prometheus throughput: ${ours.rate.toFixed(3)} by req/s, ` +
        `${ours.cpu.toFixed(3)} by CPU per request`,
    );
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      `goals by req/s: ≤ 8 % loss ${verdict(rateRatio('ours', 'bare') >= 0.92)}, ` +
        `ahead of @hono/prometheus ${verdict(ours.rate > 1)}; ` +
        `by CPU: ≤ 8 % loss ${verdict(cpuRatio('ours', 'bare') >= 0.92)}, ` +
        `ahead of @hono/prometheus ${verdict(ours.cpu > 1)}`,
    );
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
  }
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex !== -1) {
  const kind = process.argv[serveIndex + 1] as ServerKind;
  if (!SERVERS.includes(kind)) throw new Error(`--serve: expected one of ${SERVERS.join(', ')}`);
  await runServer(kind);
} else {
  await runBenchmark();
}
