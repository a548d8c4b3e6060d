/** Benchmark: `GET /api/v1/kpis` under autocannon while the server (on its engine worker) scrapes 100 targets every second, against the same server with scraping stopped; and one KPI round in process against via the worker. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateExposition } from '#test-support/generate-exposition.js';
import { parseExposition } from '../src/server/scrape/exposition/parse-exposition.js';

const TARGETS = Number(process.env.API_BENCH_TARGETS ?? 100);
const SERIES_PER_TARGET = 200;
const SECONDS = Number(process.env.API_BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = 3;
const CONNECTIONS = 10;
const READY_TIMEOUT_MS = 60_000;
const SELF = fileURLToPath(import.meta.url);
const PATH = '/api/v1/kpis';

/** Messages between the orchestrator and its two children. */
type Msg =
  | { type: 'targets'; ports: number[] }
  | { type: 'server'; url: string }
  | { type: 'stop-scrape' }
  | { type: 'scrape-stopped' }
  | { type: 'cpu' }
  | { type: 'cpu-used'; micros: number; loopMaxMs: number }
  | { type: 'round-cost' }
  | { type: 'round-cost-result'; worker: number[]; inProcess: number[] };

const send = (m: Msg) => process.send?.(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- targets child: 100 node:http servers, each serving a ~200-series exposition --------------

/**
 * One target's body, as a template: every value grows by the same per-scrape factor, so counters
 * and cumulative buckets stay monotonic while rates move a little from scrape to scrape.
 */
function targetBody(index: number): () => Buffer {
  let text = generateExposition({ series: SERIES_PER_TARGET, seed: index + 1 }).text;
  // The generator answers everything with 200; one target in ten fails its status checks.
  if (index % 10 === 0) {
    text = text.replaceAll(
      'route="/api/v1/status",status="200"',
      'route="/api/v1/status",status="503"',
    );
  }
  const lines = text.split('\n').map((line) => {
    if (line === '' || line.startsWith('#')) return { prefix: line, value: Number.NaN };
    const space = line.lastIndexOf(' ');
    return { prefix: line.slice(0, space + 1), value: Number(line.slice(space + 1)) };
  });
  let scrapes = 0;
  let random = index * 7919 + 1;
  return () => {
    scrapes++;
    random = (random * 48271) % 2147483647;
    const factor = scrapes + 0.5 * (random / 2147483647);
    const out = lines.map(({ prefix, value }) =>
      Number.isNaN(value) ? prefix : prefix + Math.round(value * factor),
    );
    return Buffer.from(out.join('\n'));
  };
}

async function runTargets(): Promise<void> {
  const servers: Server[] = [];
  for (let i = 0; i < TARGETS; i++) {
    const body = targetBody(i);
    const server = createServer((_req, res) => {
      const b = body();
      res.writeHead(200, {
        'Content-Type': 'text/plain; version=0.0.4',
        'Content-Length': b.length,
      });
      res.end(b);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  process.on('disconnect', () => process.exit(0));
  send({ type: 'targets', ports: servers.map((s) => (s.address() as AddressInfo).port) });
}

// ---- server child: the KPI server from a policy file ------------------------------------------

/** Rounds timed per engine placement, and how much scraped data they read. */
const ROUNDS = 20;
const ROUND_DATA_MS = 20_000;

type StartServer = typeof import('../src/server/compose/start-server.js').startServer;

/** Times `ROUNDS` KPI rounds, one after another, at a fixed evaluation time. */
async function timeRounds(
  evaluate: (at: number) => Promise<unknown>,
  at: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await evaluate(at);
    out.push(performance.now() - started);
  }
  return out;
}

/**
 * The cost of the worker boundary: rounds over `ROUND_DATA_MS` of samples, first on the
 * benchmark's server (engine worker, scraping already stopped), then on a second server in
 * this process with the engine in process, after it has scraped as long.
 */
async function roundCost(
  startServer: StartServer,
  running: { evaluate: (at: number) => Promise<unknown>; startedAt: number },
  configPath: string,
  dataDir: string,
): Promise<{ worker: number[]; inProcess: number[] }> {
  const worker = await timeRounds(running.evaluate, running.startedAt + ROUND_DATA_MS);
  const local = await startServer({
    configPath,
    dataDir: `${dataDir}-in-process`,
    port: 0,
    writeBack: false,
    engineWorker: false,
  });
  const startedAt = Date.now();
  // The main thread's longest stall since the last CPU reading: tells a blocked event loop
  // from a request that waited for a core on the shared machine.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  await sleep(ROUND_DATA_MS + 2_000);
  await local.scrape.stop();
  await local.evaluator.stop();
  const inProcess = await timeRounds(
    (at) => local.evaluator.evaluate(at),
    startedAt + ROUND_DATA_MS,
  );
  await local.close();
  return { worker, inProcess };
}

async function runKpiServer(configPath: string, dataDir: string): Promise<void> {
  const { startServer } = await import('../src/server/compose/start-server.js');
  const server = await startServer({
    configPath,
    dataDir,
    port: 0,
    host: '127.0.0.1',
    writeBack: false,
  });
  const startedAt = Date.now();
  // The main thread's longest stall since the last CPU reading: tells a blocked event loop
  // from a request that waited for a core on the shared machine.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  process.on('disconnect', () => {
    void server.close().finally(() => process.exit(0));
  });
  process.on('message', (m: Msg) => {
    if (m.type === 'stop-scrape') {
      void server.scrape.stop().then(() => send({ type: 'scrape-stopped' }));
    } else if (m.type === 'round-cost') {
      void server.evaluator
        .stop()
        .then(() =>
          roundCost(
            startServer,
            { evaluate: (at) => server.evaluator.evaluate(at), startedAt },
            configPath,
            dataDir,
          ),
        )
        .then((r) => send({ type: 'round-cost-result', ...r }));
    } else if (m.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu-used', micros: user + system, loopMaxMs: loop.max / 1e6 });
      loop.reset();
    }
  });
  send({ type: 'server', url: server.url });
}

// ---- orchestrator ------------------------------------------------------------------------------

/** One KPI of the benchmark's policy; `extra` is more YAML for the item, already indented. */
interface BenchKpi {
  readonly id: string;
  readonly query: string;
  readonly unit: string;
  readonly warning: number;
  readonly critical: number;
  readonly extra?: string;
}

const rate = (expr: string) => `rate(${expr}[1m])`;
const BY_SERVICE = '    by: [service]\n';

/** Ten KPIs of the kinds a service owner writes. */
const BENCH_KPIS: readonly BenchKpi[] = [
  {
    id: 'error-rate',
    query: `(sum(${rate('http_requests_total{status=~"5.."}')}) or vector(0)) / sum(${rate('http_requests_total')})`,
    unit: 'percent',
    warning: 0.01,
    critical: 0.03,
  },
  {
    id: 'error-rate-by-service',
    query: `(sum by (service) (${rate('http_requests_total{status=~"5.."}')}) or sum by (service) (${rate('http_requests_total')}) * 0) / sum by (service) (${rate('http_requests_total')})`,
    unit: 'percent',
    warning: 0.01,
    critical: 0.03,
    extra: BY_SERVICE,
  },
  {
    id: 'latency-mean',
    query: `sum(${rate('http_request_duration_seconds_sum')}) / sum(${rate('http_request_duration_seconds_count')})`,
    unit: 'seconds',
    warning: 0.5,
    critical: 1.5,
  },
  {
    id: 'latency-mean-by-service',
    query: `sum by (service) (${rate('http_request_duration_seconds_sum')}) / sum by (service) (${rate('http_request_duration_seconds_count')})`,
    unit: 'seconds',
    warning: 0.5,
    critical: 1.5,
    extra: BY_SERVICE,
  },
  {
    id: 'latency-p99',
    query: `histogram_quantile(0.99, sum by (le) (${rate('http_request_duration_seconds_bucket')}))`,
    unit: 'seconds',
    warning: 5,
    critical: 9,
  },
  {
    id: 'latency-p99-by-service',
    query: `histogram_quantile(0.99, sum by (service, le) (${rate('http_request_duration_seconds_bucket')}))`,
    unit: 'seconds',
    warning: 5,
    critical: 9,
    extra: BY_SERVICE,
  },
  {
    id: 'latency-p50-by-service',
    query: `histogram_quantile(0.5, sum by (service, le) (${rate('http_request_duration_seconds_bucket')}))`,
    unit: 'seconds',
    warning: 1,
    critical: 2,
    extra: BY_SERVICE,
  },
  {
    id: 'fast-share-by-service',
    query: `sum by (service) (${rate('http_request_duration_seconds_bucket{le="0.5"}')}) / sum by (service) (${rate('http_request_duration_seconds_count')})`,
    unit: 'percent',
    warning: 0.3,
    critical: 0.2,
    extra: `    direction: lower-is-worse\n${BY_SERVICE}`,
  },
  {
    id: 'status-errors-by-service',
    query: `sum by (service) (${rate('http_requests_total{route="/api/v1/status",status=~"5.."}')}) / sum by (service) (${rate('http_requests_total{route="/api/v1/status"}')})`,
    unit: 'percent',
    warning: 0.05,
    critical: 0.1,
    extra: BY_SERVICE,
  },
  {
    id: 'availability',
    query: 'avg(up)',
    unit: 'ratio',
    warning: 0.99,
    critical: 0.95,
    extra: '    direction: lower-is-worse\n',
  },
];

/** One KPI as an item of the policy's `kpis:` list. */
function kpiYaml(k: BenchKpi): string {
  return (
    `  - id: ${k.id}\n    title: ${k.id}\n    query: >\n      ${k.query}\n    unit: ${k.unit}\n` +
    `    thresholds: { warning: ${k.warning}, critical: ${k.critical} }\n${k.extra ?? ''}`
  );
}

/** The policy: every target at 1 s, the ten KPIs, 1 s rounds. */
function policyText(ports: readonly number[]): string {
  const targets = ports.map((p) => `  - url: http://127.0.0.1:${p}/metrics\n    job: svc`);
  return [
    'scrape:\n  interval: 1s\n  timeout: 1s',
    `targets:\n${targets.join('\n')}`,
    `kpis:\n${BENCH_KPIS.map(kpiYaml).join('')}`,
    'evaluation: { interval: 1s }',
    'history: { retention: 1d }',
    '',
  ].join('\n');
}

function spawnChild(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', SELF, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function nextMessage<T extends Msg['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<Extract<Msg, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no ${type} message in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (m: Msg) => {
      if (m.type === type) done(undefined, m as Extract<Msg, { type: T }>);
    };
    const onExit = (code: number | null) =>
      done(new Error(`child exited with ${code} before ${type}`));
    function done(err?: Error, m?: Extract<Msg, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m as Extract<Msg, { type: T }>);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function cpuMicros(child: ChildProcess): Promise<{ micros: number; loopMaxMs: number }> {
  const reply = nextMessage(child, 'cpu-used');
  child.send({ type: 'cpu' } satisfies Msg);
  return await reply;
}

interface TargetHealth {
  readonly health: string;
  readonly lastDurationMs: number | null;
}

async function targetsHealth(base: string): Promise<TargetHealth[]> {
  const res = await fetch(`${base}/api/v1/targets`);
  return (await res.json()) as TargetHealth[];
}

async function metrics(base: string) {
  const res = await fetch(`${base}/metrics`);
  return parseExposition(await res.text()).samples;
}

function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Polls the server's `/metrics` once a second for each finished round's duration. */
function watchRounds(base: string): { stop(): Promise<number[]> } {
  const durations: number[] = [];
  let lastRounds = -1;
  let running = true;
  const loop = (async () => {
    while (running) {
      const samples = await metrics(base);
      const rounds = samples.find((s) => s.name === 'kpi_lights_evaluation_rounds_total')?.value;
      const last = samples.find((s) => s.name === 'kpi_lights_evaluation_last_duration_seconds');
      if (rounds !== undefined && last && rounds !== lastRounds) {
        if (lastRounds >= 0) durations.push(last.value * 1000);
        lastRounds = rounds;
      }
      await sleep(1000);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return durations;
    },
  };
}

interface Run {
  readonly label: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly cpuPerRequestUs: number;
  /** The server's main-thread event-loop delay, worst over the run. */
  readonly loopMaxMs: number;
  readonly roundsMs: number[];
  readonly bytes: number;
}

async function measure(label: string, base: string, server: ChildProcess): Promise<Run> {
  const watch = watchRounds(base);
  const cpuBefore = await cpuMicros(server);
  const result = await autocannon({
    url: base + PATH,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const cpuAfter = await cpuMicros(server);
  const roundsMs = await watch.stop();
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${label}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  }
  return {
    label,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    cpuPerRequestUs: (cpuAfter.micros - cpuBefore.micros) / result.requests.total,
    loopMaxMs: cpuAfter.loopMaxMs,
    roundsMs,
    bytes: result.throughput.total / Math.max(1, result.requests.total),
  };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'kpi-api-bench-'));
  const children: ChildProcess[] = [];
  try {
    const targets = spawnChild(['--targets']);
    children.push(targets);
    const { ports } = await nextMessage(targets, 'targets');

    const configPath = join(work, 'kpi-lights.yaml');
    writeFileSync(configPath, policyText(ports));
    const server = spawnChild(['--server', configPath, join(work, 'data')]);
    children.push(server);
    const { url: base } = await nextMessage(server, 'server');

    // Ready: first round done, every target scraped, and a few rounds with rates to compute.
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const ready = (await fetch(`${base}/readyz`)).status === 200;
      const up = (await targetsHealth(base)).filter((t) => t.health === 'up').length;
      if (ready && up === TARGETS) break;
      if (Date.now() > deadline) throw new Error(`not ready: readyz ${ready}, ${up}/${TARGETS} up`);
      await sleep(500);
    }
    await sleep(3000);
    await autocannon({ url: base + PATH, connections: CONNECTIONS, duration: WARMUP_SECONDS });

    const loaded = await measure(`scraping ${TARGETS} targets @1s`, base, server);
    const health = await targetsHealth(base);
    const samples = await metrics(base);
    const scrapeSum = samples.find((s) => s.name === 'kpi_lights_scrape_duration_seconds_sum');
    const scrapeCount = samples.find((s) => s.name === 'kpi_lights_scrape_duration_seconds_count');
    const failures = samples
      .filter((s) => s.name === 'kpi_lights_scrape_failures_total')
      .reduce((sum, s) => sum + s.value, 0);
    const headSeries = samples.find((s) => s.name === 'kpi_lights_head_series')?.value;
    const kpiCount = ((await (await fetch(base + PATH)).json()) as unknown[]).length;

    const stopped = nextMessage(server, 'scrape-stopped');
    server.send({ type: 'stop-scrape' } satisfies Msg);
    await stopped;
    await sleep(1000);
    const baseline = await measure('baseline, scraping stopped', base, server);
    const costReply = nextMessage(server, 'round-cost-result', READY_TIMEOUT_MS * 2);
    server.send({ type: 'round-cost' } satisfies Msg);
    const cost = await costReply;

    const durations = health.map((t) => t.lastDurationMs).filter((d): d is number => d !== null);
    const up = health.filter((t) => t.health === 'up').length;
    console.log(
      `${TARGETS} targets × ~${SERIES_PER_TARGET} series (head: ${headSeries} series), 1 s scrape and evaluation interval, ` +
        `${kpiCount} readings from 10 KPIs; autocannon GET ${PATH}, ${CONNECTIONS} connections, ${SECONDS} s per run`,
    );
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (x: number, d = 1) => x.toFixed(d).padStart(9);
    console.log(
      `${pad('run', 30)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}` +
        `${'CPU µs/req'.padStart(12)}${'eval p50 ms'.padStart(13)}${'eval max ms'.padStart(13)}${'loop max ms'.padStart(13)}`,
    );
    for (const r of [loaded, baseline]) {
      console.log(
        `${pad(r.label, 30)}${num(r.rps, 0)}${num(r.p50, 0)}${num(r.p99, 0)}${num(r.max, 0)}` +
          `${num(r.cpuPerRequestUs, 0).padStart(12)}${num(quantile(r.roundsMs, 0.5)).padStart(13)}` +
          `${num(Math.max(...r.roundsMs)).padStart(13)}${num(r.loopMaxMs).padStart(13)}`,
      );
    }
    console.log(
      `response: ${(loaded.bytes / 1024).toFixed(1)} KiB; evaluation rounds seen: ${loaded.roundsMs.length} loaded, ${baseline.roundsMs.length} baseline`,
    );
    const med = (xs: number[]) => quantile(xs, 0.5);
    console.log(
      `one KPI round over ${ROUND_DATA_MS / 1000} s of samples, median of ${ROUNDS} (max): in process ${med(cost.inProcess).toFixed(1)} ms ` +
        `(${Math.max(...cost.inProcess).toFixed(1)}), via the engine worker ${med(cost.worker).toFixed(1)} ms ` +
        `(${Math.max(...cost.worker).toFixed(1)}); ratio ${(med(cost.worker) / med(cost.inProcess)).toFixed(2)}×`,
    );
    console.log(
      `scrape health at end of loaded run: ${up}/${TARGETS} up, last scrape duration p50 ${quantile(durations, 0.5).toFixed(1)} ms, ` +
        `p99 ${quantile(durations, 0.99).toFixed(1)} ms; all scrapes mean ${(((scrapeSum?.value ?? 0) / (scrapeCount?.value || 1)) * 1000).toFixed(1)} ms ` +
        `over ${scrapeCount?.value ?? 0}, ${failures} failed`,
    );
  } finally {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        if (child.connected) child.disconnect();
        else child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(force);
      }
    }
    rmSync(work, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (mode === '--targets') await runTargets();
else if (mode === '--server') await runKpiServer(process.argv[3], process.argv[4]);
else await main();
