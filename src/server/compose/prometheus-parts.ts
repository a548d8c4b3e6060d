/** The engine side of a server whose source is a remote Prometheus: no worker, no head, no scraping. */

import type { PrometheusSourceSetting } from '../policy/types.js';
import { scrapingOff } from '../scrape/scraping-off.js';
import { createPrometheusSource } from '../source/prometheus-source.js';
import { watchReachability } from '../source/reachability.js';
import type { EngineParts } from './engine-parts.js';

/**
 * Builds the parts that stand where the engine would: queries, series and target health go to
 * the Prometheus HTTP API the policy names, and `/readyz` fails its `source` check while that
 * API does not answer (KPIs then read `unknown` with `query error: prometheus unreachable: …`).
 * Answers are read under `maxBodyBytes` (default 32 MiB), redirects followed within its origin only.
 *
 * @example
 * ```ts
 * const parts = createPrometheusParts({ kind: 'prometheus', url: 'http://127.0.0.1:9090', headers: {}, timeoutMs: 30_000, publicQueries: 'kpis-only' });
 * await parts.source.instant('up', Date.now());
 * ```
 */
export function createPrometheusParts(
  setting: PrometheusSourceSetting,
  options: { readonly maxBodyBytes?: number } = {},
): EngineParts {
  const watched = watchReachability(
    createPrometheusSource({
      url: setting.url,
      headers: setting.headers,
      timeoutMs: setting.timeoutMs,
      maxBodyBytes: options.maxBodyBytes,
    }),
  );
  return {
    source: watched.source,
    kpiSource: watched.source,
    scrape: scrapingOff('the source is a Prometheus, which scrapes'),
    readiness: { source: () => watched.reachable() },
    close: async () => {},
  };
}
