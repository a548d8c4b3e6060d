/** `status/*` of Prometheus's API for the embedded engine: build, configuration, flags, runtime, head. */
import { availableParallelism } from 'node:os';
import { Hono } from 'hono';
import { stringify } from 'yaml';
import { version } from '../../cli/usage.js';
import type { Policy } from '../../policy/types.js';
import type { SeriesReader } from '../../series-reads/series-reads.js';
import { apiSuccess } from './api-reply.js';
import { prometheusScrapeConfig } from './prometheus-config.js';

/**
 * The Prometheus release whose HTTP API this one is checked against (the tests replay Grafana's
 * and promtool's calls on both). `buildinfo` leads its version with it, so Grafana, which picks
 * features by version, treats the data source as that Prometheus.
 */
export const PROMETHEUS_API_VERSION = '2.42.0';

/** What the server tells of itself, read at each request. */
export interface StatusInput {
  /** The policy running now, shown as the Prometheus configuration that would scrape the same. */
  readonly policy: () => Policy;
  /** Prometheus's flag names with this server's values (`query.timeout`, `storage.tsdb.retention.time`, …). */
  readonly flags: () => Readonly<Record<string, string>>;
  /** When the server started, ms. */
  readonly startedAt: number;
  /** When the policy in force was recorded, ms, and whether the last reload took. */
  readonly lastConfig: () => { readonly atMs: number; readonly ok: boolean };
  /** How long the head keeps samples, as a duration (`2h`). */
  readonly retention: string;
  readonly reader: SeriesReader;
}

/**
 * The status routes, path-relative (mount under `/api/v1`).
 *
 * @example
 * ```ts
 * new Hono().route('/api/v1', createStatusRoutes(input));
 * ```
 */
export function createStatusRoutes(input: StatusInput) {
  return new Hono()
    .get('/status/buildinfo', (c) =>
      apiSuccess(c, {
        // Semver build metadata: a version Grafana compares as 2.42.0, naming what answers.
        version: `${PROMETHEUS_API_VERSION}+kpi-lights.${version()}`,
        revision: '',
        branch: 'kpi-lights',
        buildUser: 'kpi-lights',
        buildDate: '',
        goVersion: `node ${process.version}`,
      }),
    )
    .get('/status/config', (c) =>
      apiSuccess(c, {
        yaml: stringify(prometheusScrapeConfig(input.policy()), { lineWidth: 0 }),
      }),
    )
    .get('/status/flags', (c) => apiSuccess(c, input.flags()))
    .get('/status/runtimeinfo', (c) => {
      const config = input.lastConfig();
      return apiSuccess(c, {
        startTime: new Date(input.startedAt).toISOString(),
        // Readers never learn where the server runs from, as they never see the policy's path.
        CWD: '.',
        reloadConfigSuccess: config.ok,
        lastConfigTime: new Date(config.atMs).toISOString(),
        corruptionCount: 0,
        // Node has no goroutines; its live handles and requests are the nearest count.
        goroutineCount: process.getActiveResourcesInfo().length,
        GOMAXPROCS: availableParallelism(),
        GOGC: '',
        GODEBUG: '',
        storageRetention: input.retention,
      });
    })
    .get('/status/tsdb', async (c) =>
      apiSuccess(c, await input.reader.read('tsdb-status', { limit: 10 })),
    );
}
