/** SSE fan-out: our /api/v1/stream (SseHub on @hono/node-server) against a bare node:http SSE server, 1 000 and 10 000 viewers. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { sseFrameReader } from '#test-support/sse-events.js';
import type { KpiReading } from '../src/sdk/types.js';
import { requireScope } from '../src/server/api/auth.js';
import { createKpiHub, createStreamRoutes } from '../src/server/api/stream/stream.js';
import { errorMessage } from '../src/shared/error-message.js';

// `SSE_BENCH_SIZES=200,500` for a quick look; the published figures use the default.
const SIZES = (process.env.SSE_BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const EVENTS = 20;
const EVENT_GAP_MS = 200;
const CONNECT_BATCH = 250;
const TRIAL_TIMEOUT_MS = 60_000;
const SELF = fileURLToPath(import.meta.url);
type Kind = 'kpi-lights' | 'bare';

/** Messages between the orchestrator and its server and client children. */
type Msg =
  | { type: 'ready'; port: number }
  | { type: 'rss'; rss: number; heap: number; clients: number }
  | { type: 'publish'; i: number }
  | { type: 'measure' }
  | { type: 'connect'; n: number }
  | { type: 'connected'; n: number; ms: number; failed: number }
  | { type: 'report' }
  | { type: 'latencies'; received: number; p50: number; p99: number; max: number };

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const send = (m: Msg) => process.send?.(m);
/** A KPI reading's size and shape, so each event costs what a real one does. */
const reading = (i: number): KpiReading & { i: number; ts: number } => ({
  id: 'efile-error-rate',
  title: 'E-file error rate',
  unit: 'percent',
  direction: 'higher-is-worse',
  thresholds: { warning: 0.01, critical: 0.03 },
  value: 0.004 + i / 1e4,
  stale: false,
  staleAfter: new Date(Date.now() + 30_000).toISOString(),
  status: 'ok',
  evaluatedAt: new Date().toISOString(),
  policyVersion: 1,
  i,
  ts: now(),
});

// ---- server child: one of the two servers, answering the orchestrator over IPC --------------

async function runServer(kind: Kind): Promise<void> {
  let publish: (i: number) => void;
  let clients: () => number;
  let port: number;
  if (kind === 'kpi-lights') {
    // The real stream route behind the middleware the KPI server puts in front of it.
    const hub = createKpiHub({
      readings: () => [],
      policyVersion: () => 1,
      heartbeatMs: 3_600_000,
      // Every viewer of the bench comes from 127.0.0.1: the per-client cap would refuse them.
      maxClients: 0,
      maxClientsPerAddress: 0,
    });
    const app = new Hono()
      .use('*', cors({ origin: (o) => (o === 'http://127.0.0.1:8103' ? o : null) }))
      .use(
        '/api/*',
        requireScope('read', () => ({ read: 'public', tokens: [] })),
      )
      .route('/api/v1/stream', createStreamRoutes({ hub }));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
    publish = (i) => hub.publish('kpi', reading(i));
    clients = () => hub.stats.clients;
  } else {
    const open = new Set<ServerResponse>();
    let id = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
      });
      res.write(
        `retry: 3000\n\nid: ${id}\nevent: snapshot\ndata: {"policyVersion":1,"kpis":[],"alerts":[]}\n\n`,
      );
      open.add(res);
      res.on('close', () => open.delete(res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', 1024, r));
    port = (server.address() as AddressInfo).port;
    publish = (i) => {
      // Framed once and the same buffer written to every viewer, as the hub does.
      const bytes = Buffer.from(`id: ${++id}\nevent: kpi\ndata: ${JSON.stringify(reading(i))}\n\n`);
      for (const res of open) res.write(bytes);
    };
    clients = () => open.size;
  }
  process.on('message', async (m: Msg) => {
    if (m.type === 'publish') publish(m.i);
    if (m.type === 'measure') {
      for (let k = 0; k < 3; k++) {
        globalThis.gc?.();
        await sleep(100);
      }
      const { rss, heapUsed } = process.memoryUsage();
      send({ type: 'rss', rss, heap: heapUsed, clients: clients() });
    }
  });
  send({ type: 'ready', port });
}

// ---- client child: many viewers, recording each event's delivery latency ---------------------

async function runClients(port: number): Promise<void> {
  const latencies: number[] = [];
  const open = (): Promise<boolean> =>
    new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/api/v1/stream', agent: false },
        (res) => {
          let first = true;
          let at = 0;
          // Kept cheap (no JSON.parse): at 10 000 viewers this process, not the server, sets the pace.
          const feed = sseFrameReader(({ data }) => {
            const ts = data.lastIndexOf('"ts":');
            if (ts >= 0) latencies.push(at - Number.parseFloat(data.slice(ts + 5)));
          });
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            at = now();
            if (first) {
              first = false;
              resolve(true);
            }
            feed(chunk);
          });
          res.on('error', () => {});
        },
      );
      req.on('error', () => resolve(false));
      req.end();
    });
  process.on('message', async (m: Msg) => {
    if (m.type === 'connect') {
      const t0 = performance.now();
      let failed = 0;
      // In batches: a burst of 10 000 SYNs at once overflows the listen backlog on both servers alike.
      for (let done = 0; done < m.n; done += CONNECT_BATCH) {
        const batch = Array.from({ length: Math.min(CONNECT_BATCH, m.n - done) }, open);
        failed += (await Promise.all(batch)).filter((ok) => !ok).length;
      }
      send({ type: 'connected', n: m.n, ms: performance.now() - t0, failed });
    }
    if (m.type === 'report') {
      const sorted = Float64Array.from(latencies).sort();
      const q = (p: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
      send({ type: 'latencies', received: sorted.length, p50: q(0.5), p99: q(0.99), max: q(1) });
    }
  });
  send({ type: 'ready', port });
}

// ---- orchestrator ------------------------------------------------------------------------------

/** Starts a child; through `sh` so its soft fd limit can be raised to the hard one first. */
function child(args: string[]): ChildProcess {
  const node = [process.execPath, '--expose-gc', '--import', 'tsx', SELF, ...args];
  return spawn(
    'sh',
    ['-c', 'ulimit -S -n "$(ulimit -H -n)" 2>/dev/null; exec "$@"', 'sh', ...node],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
}

function next<T extends Msg['type']>(p: ChildProcess, type: T): Promise<Extract<Msg, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${type}" within ${TRIAL_TIMEOUT_MS} ms`)),
      TRIAL_TIMEOUT_MS,
    );
    const on = (m: Msg) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      p.off('message', on);
      resolve(m as Extract<Msg, { type: T }>);
    };
    p.on('message', on);
  });
}

interface Result {
  kind: Kind;
  n: number;
  kbPerConn: number;
  heapKbPerConn: number;
  p50: number;
  p99: number;
  max: number;
  received: number;
  connectMs: number;
  failed: number;
}

async function trial(kind: Kind, n: number): Promise<Result> {
  const server = child(['server', kind]);
  const clients: ChildProcess[] = [];
  try {
    const { port } = await next(server, 'ready');
    const measure = async () => {
      server.send({ type: 'measure' });
      return next(server, 'rss');
    };
    // Warm-up: the first viewers load and compile the serving code; that is not per-viewer cost.
    const warm = child(['clients', String(port)]);
    clients.push(warm);
    await next(warm, 'ready');
    warm.send({ type: 'connect', n: 50 });
    await next(warm, 'connected');
    server.send({ type: 'publish', i: -1 });
    await sleep(EVENT_GAP_MS);
    warm.kill();
    for (let t = 0; t < 50 && (await measure()).clients > 0; t++) await sleep(100);
    const before = await measure();
    const viewers = child(['clients', String(port)]);
    clients.push(viewers);
    await next(viewers, 'ready');
    viewers.send({ type: 'connect', n });
    const connected = await next(viewers, 'connected');
    let after = await measure();
    for (let tries = 0; after.clients < n - connected.failed && tries < 50; tries++)
      after = await measure();
    for (let i = 0; i < EVENTS; i++) {
      server.send({ type: 'publish', i });
      await sleep(EVENT_GAP_MS);
    }
    await sleep(1_000);
    viewers.send({ type: 'report' });
    const lat = await next(viewers, 'latencies');
    return {
      kind,
      n,
      kbPerConn: (after.rss - before.rss) / after.clients / 1000,
      heapKbPerConn: (after.heap - before.heap) / after.clients / 1000,
      p50: lat.p50,
      p99: lat.p99,
      max: lat.max,
      received: lat.received,
      connectMs: connected.ms,
      failed: connected.failed,
    };
  } finally {
    // Server first, so the closed sockets' TIME_WAIT lands on its side, not on ephemeral ports.
    server.kill();
    await sleep(200);
    for (const c of clients) c.kill();
  }
}

async function main(): Promise<void> {
  const limits = execFileSync('sh', ['-c', 'echo "$(ulimit -S -n) $(ulimit -H -n)"'])
    .toString()
    .trim()
    .split(' ');
  const hard = limits[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(limits[1]);
  console.log(
    `open files: soft ${limits[0]}, hard ${limits[1]}; each child raises its soft limit to the hard one`,
  );
  console.log(
    `${EVENTS} events, ${EVENT_GAP_MS} ms apart, ~${JSON.stringify(reading(0)).length} B each; server and viewers in separate processes on loopback`,
  );
  console.log(
    'kpi-lights = the /api/v1/stream route (SseHub) behind CORS and the read guard, on @hono/node-server; bare = node:http writing the same frames\n',
  );
  const rows: Result[] = [];
  for (const n of SIZES) {
    // A viewer costs one descriptor in each process, plus a few dozen for the process itself.
    if (n + 64 > hard) {
      console.log(`${n} viewers: skipped, this machine allows only ${hard} open files per process`);
      continue;
    }
    // Twice each, interleaved, so drift in the machine's load hits both servers alike.
    for (const kind of ['kpi-lights', 'bare', 'bare', 'kpi-lights'] as const) {
      const r = await trial(kind, n);
      rows.push(r);
      console.log(
        `${String(n).padStart(6)} viewers  ${kind.padEnd(10)}  RSS ${r.kbPerConn.toFixed(2).padStart(6)} kB/conn  ` +
          `heap ${r.heapKbPerConn.toFixed(2).padStart(5)} kB/conn  p50 ${r.p50.toFixed(1).padStart(6)} ms  ` +
          `p99 ${r.p99.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms  ` +
          `delivered ${r.received}/${n * EVENTS}  connect ${(r.connectMs / 1000).toFixed(1)} s${r.failed ? `  failed ${r.failed}` : ''}`,
      );
    }
  }
  console.log(
    '\nbest of two runs each (RSS per connection at 1 000 viewers carries heap growth that does not scale):',
  );
  for (const n of SIZES) {
    // Best of the two runs: the lower figure is the one least disturbed by other work.
    const best = (kind: Kind) => {
      const runs = rows.filter((r) => r.n === n && r.kind === kind);
      if (runs.length === 0) return undefined;
      return {
        kbPerConn: Math.min(...runs.map((r) => r.kbPerConn)),
        p99: Math.min(...runs.map((r) => r.p99)),
      };
    };
    const ours = best('kpi-lights');
    const bare = best('bare');
    if (!ours || !bare) continue;
    const ratio = ours.p99 / bare.p99;
    console.log(
      `${n} viewers: kpi-lights ${ours.kbPerConn.toFixed(2)} kB/conn (goal <= 15: ${ours.kbPerConn <= 15 ? 'met' : 'NOT met'}), ` +
        `bare ${bare.kbPerConn.toFixed(2)} kB/conn, memory ratio ${(ours.kbPerConn / bare.kbPerConn).toFixed(2)}x; ` +
        `p99 ratio ${ratio.toFixed(2)}x (goal <= 1.5x: ${ratio <= 1.5 ? 'met' : 'NOT met'})`,
    );
  }
}

const [role, arg] = process.argv.slice(2);
const run =
  role === 'server'
    ? runServer(arg as Kind)
    : role === 'clients'
      ? runClients(Number(arg))
      : main();
run.catch((err: unknown) => {
  console.error(errorMessage(err));
  process.exit(1);
});
