/** An in-process KPI app over a temporary database and a query source whose answers tests set. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alerting } from '../../src/server/alerts/index.js';
import { createApp, type KpiLightsApp } from '../../src/server/compose/app.js';
import { createKpiCore } from '../../src/server/compose/kpi-core.js';
import { openDatabase, type ServerDatabase } from '../../src/server/database/index.js';
import { KpiHistoryStore } from '../../src/server/history/index.js';
import type { KpiEvaluator } from '../../src/server/kpi/index.js';
import { PolicyVersionStore, parsePolicy } from '../../src/server/policy/index.js';
import { scrapeTargetsOf } from '../../src/server/policy/scrape-targets.js';
import type { QueryResult } from '../../src/server/promql/result.js';
import { ScrapeManager } from '../../src/server/scrape/index.js';
import type { QuerySource } from '../../src/server/source/index.js';
import { createHead } from '../../src/server/store/index.js';

export const READ_TOKEN = 'read-only-token-0123456789';
export const WRITE_TOKEN = 'write-token-0123456789abcdef';
export const ALLOWED_ORIGIN = 'https://intranet.example.gov';

/** A policy with two KPIs, one (never started) target, a read and a write token, one origin. */
export function policyText(options: { read?: 'public' | 'token'; errorWarning?: number } = {}) {
  return `scrape: { interval: 15s, timeout: 5s }
targets:
  - url: http://127.0.0.1:9/metrics
    labels: { service: efile, agency: IRS }
kpis:
  - id: error-rate
    title: Error rate
    query: sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))
    unit: percent
    thresholds: { warning: ${options.errorWarning ?? 0.01}, critical: 0.03 }
  - id: availability
    title: Availability
    query: avg(up)
    unit: ratio
    direction: lower-is-worse
    thresholds: { warning: 0.999, critical: 0.99 }
auth:
  read: ${options.read ?? 'public'}
  tokens:
    - { name: dashboard, token: ${READ_TOKEN}, scopes: [read] }
    - { name: deploy, token: ${WRITE_TOKEN}, scopes: [read, write] }
cors:
  origins: [${ALLOWED_ORIGIN}]
evaluation: { interval: 15s }
`;
}

/** Answers each query with the value set for it (one sample), or no data when none is set. */
export class StubSource implements QuerySource {
  readonly values = new Map<string, number>();

  async instant(expr: string, time: Date | number): Promise<QueryResult> {
    const t = typeof time === 'number' ? time : time.getTime();
    const value = this.values.get(expr.trim());
    return {
      resultType: 'vector',
      result: value === undefined ? [] : [{ metric: {}, point: [t, value] }],
    };
  }

  async range(): Promise<QueryResult> {
    return { resultType: 'matrix', result: [] };
  }
}

export const ERROR_RATE_QUERY = 'sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))';
export const AVAILABILITY_QUERY = 'avg(up)';

export interface KpiAppFixture {
  readonly server: KpiLightsApp;
  readonly source: StubSource;
  readonly evaluator: KpiEvaluator;
  readonly history: KpiHistoryStore;
  readonly versions: PolicyVersionStore;
  readonly database: ServerDatabase;
  readonly scrape: ScrapeManager;
  /** `server.app.request` with a bearer token when given. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Builds the app; nothing is started, so tests drive evaluation with `evaluator.evaluate(t)`. */
export function createKpiAppFixture(
  options: {
    read?: 'public' | 'token';
    heartbeatMs?: number;
    alerting?: Alerting;
    /** Another policy than {@link policyText}'s, with its queries answered by `source`. */
    policy?: string;
  } = {},
): KpiAppFixture {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-app-'));
  const database = openDatabase(dir);
  const text = options.policy ?? policyText({ read: options.read });
  const policy = parsePolicy(text, 'kpi-lights.yaml');
  const versions = new PolicyVersionStore(database);
  const version = versions.record(text, { author: 'test', reason: 'fixture' });
  const history = new KpiHistoryStore(database);
  const source = new StubSource();
  // The same wiring as the real server's: readings to the stream, rounds to the alerts.
  const { evaluator, hub, retell } = createKpiCore({
    source,
    history,
    policy,
    policyVersion: version.version,
    alerts: options.alerting,
    heartbeatMs: options.heartbeatMs,
  });
  const scrape = new ScrapeManager({ store: createHead(), targets: scrapeTargetsOf(policy) });
  const server = createApp({
    policy: { file: 'kpi-lights.yaml', text, policy, version },
    versions,
    history,
    evaluator,
    hub,
    alerting: options.alerting,
    scrape,
    database,
    report: () => {},
  });
  return {
    server,
    source,
    evaluator,
    history,
    versions,
    database,
    scrape,
    request(path, init = {}) {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return Promise.resolve(server.app.request(path, { ...rest, headers }));
    },
    async close() {
      retell.stop();
      await server.stop();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
