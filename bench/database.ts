/** Benchmark: the server's stores on node:sqlite against the same stores on better-sqlite3 (the driver before), side by side in one run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAlerting } from '../src/server/alerts/create-alerting.js';
import { openDatabase, type ServerDatabase } from '../src/server/database/index.js';
import { KpiHistoryStore, type StoredReading } from '../src/server/history/index.js';
import type { KpiDefinition } from '../src/server/policy/types.js';
import {
  KPI,
  noSource,
  policyWith,
  readingOf,
  receiverOf,
  recordingChannels,
  ruleOf,
} from '../test/support/alerting-fixture.js';
import { manualTimers } from '../test/support/manual-timers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/**
 * better-sqlite3 is no dependency any more (it compiles at install); the bench loads it from a
 * folder of its own, installed as `peerInstall` says, or from KPI_BENCH_BETTER_SQLITE3.
 */
const peerDir = process.env.KPI_BENCH_BETTER_SQLITE3 ?? join(root, '.tmp', 'bench-peer');
const peerInstall =
  'mkdir -p .tmp/bench-peer && cd .tmp/bench-peer && ' +
  `echo '{"private":true,"allowScripts":{"better-sqlite3":true}}' > package.json && ` +
  'npm_config_nodedir=<folder of this Node, with include/node> npm i --no-save better-sqlite3@12.11.1';

interface Driver {
  readonly name: string;
  open(dir: string): ServerDatabase;
}

const nodeSqliteDriver: Driver = { name: 'node:sqlite', open: openDatabase };

/** better-sqlite3 opened as `openDatabase` opened it before: WAL, NORMAL sync, busy timeout. */
function betterSqliteDriver(): Driver | undefined {
  let Database: new (file: string) => unknown;
  try {
    Database = createRequire(join(peerDir, 'package.json'))('better-sqlite3');
  } catch (err) {
    console.log(
      `notice: better-sqlite3 not loadable from ${peerDir} (${(err as Error).message.split('\n')[0]})`,
    );
    console.log(`  to compare, install it there: ${peerInstall}`);
    return undefined;
  }
  return {
    name: 'better-sqlite3',
    open(dir) {
      const db = new Database(join(dir, 'kpi-lights.db')) as {
        pragma(text: string): unknown;
        exec(sql: string): void;
        prepare(sql: string): { raw(on: boolean): unknown };
        prepareTuples?: (sql: string) => unknown;
      };
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        part TEXT NOT NULL, version INTEGER NOT NULL, applied INTEGER NOT NULL,
        PRIMARY KEY (part, version))`);
      // Its prepare/exec/transaction/close/open are the ones the stores were written against;
      // rows as arrays are its raw mode, so the peer reads at its fastest too.
      db.prepareTuples = (sql) => db.prepare(sql).raw(true);
      return db as unknown as ServerDatabase;
    },
  };
}

const T0 = Date.UTC(2026, 11, 1);
const STEP = 15_000;
const KPIS = 20;
const GROUPS = 5;

/** One evaluation round: every KPI and group at `t`. */
function round(t: number): StoredReading[] {
  const out: StoredReading[] = [];
  for (let k = 0; k < KPIS; k++) {
    for (let g = 0; g < GROUPS; g++) {
      const value = ((k * 7 + g * 3 + t / STEP) % 100) / 1000;
      out.push({
        kpi: `kpi-${k}`,
        group: g === 0 ? '' : `service="svc-${g}"`,
        t,
        value,
        status: value > 0.05 ? 'critical' : 'ok',
        policyVersion: 1,
      });
    }
  }
  return out;
}

/** A workload on one driver's database: set up once, then timed a batch at a time. */
interface Workload {
  /** Runs one timed batch; answers the operations it did. */
  batch(): Promise<number> | number;
  close(): void;
}

type WorkloadOf = (db: ServerDatabase) => Workload;

/** History writes: one round (100 readings) per operation, in one transaction. */
const historyWrites: WorkloadOf = (db) => {
  const history = new KpiHistoryStore(db);
  let t = T0;
  return {
    batch() {
      for (let i = 0; i < 20; i++) history.record(round((t += STEP)));
      return 20;
    },
    close: () => db.close(),
  };
};

/** History reads: a day of one KPI group in minute buckets, and export pages of 1 000. */
function historyReads(kind: 'chart' | 'export'): WorkloadOf {
  return (db) => {
    const history = new KpiHistoryStore(db);
    // A day at 15 s for 4 of the KPIs: 4 × 5 × 5 760 = 115 200 readings.
    for (let t = T0; t < T0 + 86_400_000; t += STEP) {
      history.record(round(t).filter((r) => Number(r.kpi.slice(4)) < 4));
    }
    let n = 0;
    return {
      batch() {
        if (kind === 'chart') {
          for (let i = 0; i < 10; i++) {
            const kpi = `kpi-${n++ % 4}`;
            history.query(kpi, { from: T0, to: T0 + 86_399_999, stepMs: 60_000 });
          }
          return 10;
        }
        // 10 pages of 1 000 from a moving start: what the export feed reads.
        const since = T0 + (n++ % 20) * 3_600_000;
        let page = history.readingsAfter({
          sinceMs: since,
          untilMs: since + 3_600_000,
          limit: 1_000,
        });
        for (let i = 1; i < 10; i++) {
          page = history.readingsAfter({
            sinceMs: since,
            untilMs: since + 3_600_000,
            limit: 1_000,
            after: page.at(-1),
          });
        }
        return 10;
      },
      close: () => db.close(),
    };
  };
}

/**
 * The alert round: 50 rules on 50 KPIs whose readings turn critical and back, so each round
 * steps every rule and writes pending, firing and resolved alerts, their groups and notices.
 */
const alertRounds: WorkloadOf = (db) => {
  const kpis: KpiDefinition[] = Array.from({ length: 50 }, (_, i) => ({ ...KPI, id: `kpi-${i}` }));
  const rules = kpis.map((k, i) =>
    ruleOf({
      name: `Rule${i}`,
      condition: { kind: 'kpi', kpi: k.id, when: 'critical' },
      forMs: 30_000,
    }),
  );
  const timers = manualTimers(T0);
  const core = createAlerting({
    database: db,
    policy: policyWith(rules, [receiverOf()], kpis),
    policyVersion: 1,
    source: noSource,
    send: recordingChannels(timers).send,
    timers,
    report: () => {},
  });
  let r = 0;
  return {
    async batch() {
      for (let i = 0; i < 10; i++, r++) {
        const t = T0 + r * STEP;
        // Each KPI is critical for 8 rounds in 16, staggered, so alerts keep changing state.
        const readings = kpis.map((k, j) => readingOf((r + j) % 16 < 8 ? 0.05 : 0, k));
        await core.evaluate(readings, t);
      }
      return 10;
    },
    close: () => db.close(),
  };
};

interface Row {
  readonly what: string;
  readonly unit: string;
  readonly workload: WorkloadOf;
  readonly rounds: number;
}

const rows: Row[] = [
  {
    what: 'history write, one round of 100 readings',
    unit: 'µs/round',
    workload: historyWrites,
    rounds: 31,
  },
  {
    what: 'history read, a day in 1 min buckets (5 760 readings)',
    unit: 'µs/query',
    workload: historyReads('chart'),
    rounds: 31,
  },
  {
    what: 'history read, export page of 1 000 readings',
    unit: 'µs/page',
    workload: historyReads('export'),
    rounds: 31,
  },
  {
    what: 'alert round, 50 rules, in its transaction',
    unit: 'µs/round',
    workload: alertRounds,
    rounds: 31,
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const drivers = [nodeSqliteDriver, betterSqliteDriver()].filter((d) => d !== undefined);
const versions = drivers.map((d) => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-bench-db-'));
  const db = d.open(dir);
  const v = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return `${d.name} (SQLite ${v})`;
});
console.log(
  `drivers: ${versions.join(', ')}; rounds alternate between them; medians of times and of each round's ratio`,
);

for (const row of rows) {
  const dirs = drivers.map(() => mkdtempSync(join(tmpdir(), 'kpi-bench-db-')));
  const loads = drivers.map((d, i) => row.workload(d.open(dirs[i])));
  // One warm-up batch each, then rounds alternating, so load on the machine falls on both.
  for (const w of loads) await w.batch();
  const times: number[][] = drivers.map(() => []);
  for (let r = 0; r < row.rounds; r++) {
    for (const [i, w] of loads.entries()) {
      const start = performance.now();
      const ops = await w.batch();
      times[i].push(((performance.now() - start) * 1000) / ops);
    }
  }
  for (const w of loads) w.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  const [ours, before] = times.map(median);
  // The median of each round's own ratio: a neighbour's load that comes and goes falls on both.
  const ratios = times[1]?.map((peer, r) => times[0][r] / peer);
  const ratio =
    ratios === undefined
      ? ''
      : `  ${median(ratios).toFixed(2)}× better-sqlite3's time (goal ≤ 1.2×)`;
  const peer = before === undefined ? '' : `  better-sqlite3 ${before.toFixed(0)}`;
  console.log(`${row.what}: node:sqlite ${ours.toFixed(0)} ${row.unit}${peer}${ratio}`);
}
