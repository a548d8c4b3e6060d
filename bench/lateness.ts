/** Benchmark: how late scrapes and KPI rounds run while the API runs hostile queries, against the same server with the API idle, in alternating phases of one run. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveLocal } from '#test-support/local-server.js';
import { type ServerHandle, startServer } from '../src/server/compose/start-server.js';

const TARGETS = 100;
const INTERVAL_MS = 1_000;
/** Seconds of each phase; two quiet and two hostile phases alternate, so drift hits both. */
const PHASE_SECONDS = Number(process.env.LATENESS_BENCH_SECONDS ?? 15);
const QUERY_TIMEOUT_MS = 5_000;
/** Hostile queries kept in flight during a hostile phase: the issue's one and 20 like it. */
const IN_FLIGHT = 21;
const HOSTILE = [
  'sum_over_time(sum_over_time(vector(1)[30m:1ms])[6h:1s])',
  'count_over_time(max_over_time(requests_total[20m:1ms])[6h:1s])',
  'sum_over_time(sum_over_time(vector(2)[30m:1ms])[6h:1s])',
];

/** What one phase saw. */
interface Phase {
  readonly kind: 'quiet' | 'hostile';
  /** Each scheduled scrape's start after its slot, ms. */
  readonly scrapeLateness: number[];
  /** Each KPI round's end after the time it evaluated at, ms. */
  readonly roundLateness: number[];
  missed: number;
  answered: number;
  timedOut: number;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function policy(exporterUrl: string): string {
  const targets = Array.from(
    { length: TARGETS },
    (_, i) => `  - url: ${exporterUrl}/t/${i}/metrics\n    labels: { service: svc-${i} }`,
  ).join('\n');
  return `scrape: { interval: 1s, timeout: 1s }
targets:
${targets}
kpis:
  - id: request-rate
    title: Requests a second
    query: sum(rate(requests_total[30s]))
    unit: count
    thresholds: { warning: 1e12, critical: 2e12 }
  - id: targets-up
    title: Targets up
    query: sum(up)
    unit: count
    direction: lower-is-worse
    thresholds: { warning: 99, critical: 50 }
evaluation: { interval: 1s }
`;
}

/** Watches the server's cached health and rounds every 20 ms, well inside an interval. */
function watch(server: ServerHandle, phase: () => Phase | undefined): () => void {
  const seen = new Map<string, number>();
  let missed = new Map<string, number>();
  let rounds = server.evaluator.stats().rounds;
  const timer = setInterval(() => {
    const p = phase();
    if (p === undefined) return;
    const now = Date.now();
    const nextMissed = new Map<string, number>();
    for (const h of server.scrape.health()) {
      nextMissed.set(h.id, h.missedSlots);
      p.missed += Math.max(0, h.missedSlots - (missed.get(h.id) ?? h.missedSlots));
      if (h.lastScrape === null || h.lastLatenessMs === null) continue;
      if (seen.get(h.id) === h.lastScrape) continue;
      seen.set(h.id, h.lastScrape);
      p.scrapeLateness.push(h.lastLatenessMs);
    }
    missed = nextMissed;
    const stats = server.evaluator.stats();
    if (stats.rounds === rounds) return;
    rounds = stats.rounds;
    const at = server.evaluator.readings()[0]?.evaluatedAt;
    if (at !== undefined) p.roundLateness.push(now - Date.parse(at));
  }, 20);
  return () => clearInterval(timer);
}

/** Keeps `IN_FLIGHT` hostile queries running until `until`, each sent again when it answers. */
async function storm(url: string, until: number, phase: Phase): Promise<void> {
  const lane = async (i: number) => {
    while (Date.now() < until) {
      const query = HOSTILE[i % HOSTILE.length];
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
      await res.arrayBuffer();
      if (res.status === 200) phase.answered++;
      else phase.timedOut++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => lane(i)));
}

async function runPhases(server: ServerHandle): Promise<Phase[]> {
  const phases: Phase[] = [];
  const current = () => phases[phases.length - 1];
  const stop = watch(server, current);
  try {
    for (const kind of ['quiet', 'hostile', 'quiet', 'hostile'] as const) {
      const phase: Phase = {
        kind,
        scrapeLateness: [],
        roundLateness: [],
        missed: 0,
        answered: 0,
        timedOut: 0,
      };
      phases.push(phase);
      const until = Date.now() + PHASE_SECONDS * 1_000;
      if (kind === 'hostile') await storm(server.url, until, phase);
      else await new Promise((r) => setTimeout(r, until - Date.now()));
      // Let the last storm's queries stop before the next phase counts.
      if (kind === 'hostile') await new Promise((r) => setTimeout(r, 1_000));
    }
  } finally {
    stop();
  }
  return phases;
}

function report(phases: readonly Phase[]): void {
  const of = (kind: Phase['kind'], pick: (p: Phase) => number[]) =>
    phases.filter((p) => p.kind === kind).flatMap(pick);
  const rows = [
    ['scrape start after its slot', (p: Phase) => p.scrapeLateness],
    ['KPI round end after its time', (p: Phase) => p.roundLateness],
  ] as const;
  console.log(
    `${TARGETS} targets and 2 KPIs every ${INTERVAL_MS / 1000} s; hostile phases keep ${IN_FLIGHT} ` +
      `queries in flight (timeout ${QUERY_TIMEOUT_MS / 1000} s); 2 × ${PHASE_SECONDS} s of each`,
  );
  console.log(
    '                              quiet p50 / p99        hostile p50 / p99     p99 ratio',
  );
  let worst = 0;
  for (const [name, pick] of rows) {
    const quiet = of('quiet', pick);
    const hostile = of('hostile', pick);
    const [q50, q99, h50, h99] = [
      percentile(quiet, 50),
      percentile(quiet, 99),
      percentile(hostile, 50),
      percentile(hostile, 99),
    ];
    worst = Math.max(worst, h99);
    console.log(
      `${name.padEnd(30)}${`${q50.toFixed(1)} / ${q99.toFixed(1)} ms`.padEnd(23)}` +
        `${`${h50.toFixed(1)} / ${h99.toFixed(1)} ms`.padEnd(22)}${(h99 / q99).toFixed(2)}× ` +
        `(${quiet.length} / ${hostile.length} samples)`,
    );
  }
  const hostile = phases.filter((p) => p.kind === 'hostile');
  const missed = phases.reduce((n, p) => n + p.missed, 0);
  console.log(
    `missed scrape slots: ${missed}; hostile queries: ${hostile.reduce((n, p) => n + p.answered, 0)} ` +
      `answered, ${hostile.reduce((n, p) => n + p.timedOut, 0)} timed out`,
  );
  console.log(
    `goal p99 ≤ one interval (${INTERVAL_MS} ms): ${worst <= INTERVAL_MS && missed === 0 ? 'met' : 'NOT met'}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'kpi-lateness-bench-'));
const born = Date.now();
const exporter = await serveLocal(
  new Hono().get('/t/:i/metrics', (c) => {
    const i = Number(c.req.param('i'));
    const count = Math.floor((Date.now() - born) / 10) * (1 + (i % 3));
    return c.text(
      `# TYPE requests_total counter\nrequests_total{route="/file"} ${count}\nrequests_total{route="/status"} ${i}\n`,
    );
  }),
);
const configPath = join(dir, 'kpi-lights.yaml');
writeFileSync(configPath, policy(exporter.url));
const server = await startServer({
  configPath,
  dataDir: join(dir, 'data'),
  port: 0,
  processMetrics: false,
  queryTimeoutMs: QUERY_TIMEOUT_MS,
  report: () => {},
});
try {
  // A few rounds first, so both kinds of phase start on a warm server with data.
  await new Promise((r) => setTimeout(r, 5_000));
  report(await runPhases(server));
} finally {
  await server.close();
  await exporter.close();
  rmSync(dir, { recursive: true, force: true });
}
