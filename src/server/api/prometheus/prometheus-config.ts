/** The policy's targets as a Prometheus configuration: what a Prometheus needs to scrape the same series. */
import { formatDuration } from '../../../shared/duration.js';
import { RULE_FILE } from '../../alerts/config-export/prometheus-names.js';
import type { Policy, TargetDefinition } from '../../policy/types.js';
import { instanceOf } from '../../scrape/target-config.js';

/** One `scrape_configs` entry. */
export interface ScrapeConfig {
  readonly job_name: string;
  readonly scrape_interval: string;
  readonly scrape_timeout: string;
  readonly metrics_path: string;
  readonly scheme: string;
  readonly params?: Readonly<Record<string, string[]>>;
  readonly static_configs: readonly {
    readonly targets: readonly string[];
    readonly labels?: Readonly<Record<string, string>>;
  }[];
}

/** What must be equal for two targets to share one `scrape_configs` entry. */
function shapeOf(t: TargetDefinition, url: URL): string {
  return JSON.stringify([t.job, url.protocol, url.pathname, url.search, t.intervalMs, t.timeoutMs]);
}

/**
 * A Prometheus configuration that scrapes the policy's targets into the same series kpi-lights
 * stores: the same `job`, `instance` and target labels, intervals and timeouts, and the rule file
 * `kpi-lights export prometheus-rules` writes. Targets of one job that differ in path, scheme or
 * timing get entries of their own (`job`, `job-2`, …), each setting `job` back as a label.
 *
 * @example
 * ```ts
 * stringify(prometheusScrapeConfig(policy)); // global: … scrape_configs: - job_name: efile …
 * ```
 */
export function prometheusScrapeConfig(policy: Policy) {
  const entries = new Map<
    string,
    ScrapeConfig & { static_configs: ScrapeConfig['static_configs'][number][] }
  >();
  const perJob = new Map<string, number>();
  for (const t of policy.targets) {
    const url = new URL(t.url);
    const key = shapeOf(t, url);
    let entry = entries.get(key);
    if (!entry) {
      const n = (perJob.get(t.job) ?? 0) + 1;
      perJob.set(t.job, n);
      const params: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) (params[k] ??= []).push(v);
      entry = {
        job_name: n === 1 ? t.job : `${t.job}-${n}`,
        scrape_interval: formatDuration(t.intervalMs),
        scrape_timeout: formatDuration(t.timeoutMs),
        metrics_path: url.pathname,
        scheme: url.protocol.replace(/:$/, ''),
        ...(Object.keys(params).length > 0 && { params }),
        static_configs: [],
      };
      entries.set(key, entry);
    }
    const labels = { ...t.labels, ...(entry.job_name !== t.job && { job: t.job }) };
    entry.static_configs.push({
      targets: [instanceOf(url)],
      ...(Object.keys(labels).length > 0 && { labels }),
    });
  }
  return {
    global: {
      scrape_interval: formatDuration(policy.scrape.intervalMs),
      scrape_timeout: formatDuration(policy.scrape.timeoutMs),
      evaluation_interval: formatDuration(policy.evaluation.intervalMs),
    },
    rule_files: [RULE_FILE],
    scrape_configs: [...entries.values()],
  };
}
