/** Node's process metrics from prom-client, minus the three gauges named like counters, so `promtool check metrics` passes. */
import { collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * prom-client's gauges whose names end in `_total`, which Prometheus keeps for counters. Each is
 * the length of the same list its labelled sibling (`nodejs_active_handles{type}`, …) counts by
 * type, so `sum(nodejs_active_handles)` is the same figure: dropping them loses nothing.
 */
export const COUNTER_NAMED_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

/**
 * Registers Node's process metrics (`process_*`, `nodejs_*`) on `registry`, with `labels` on
 * each, leaving out {@link COUNTER_NAMED_GAUGES}.
 *
 * @example
 * ```ts
 * collectProcessMetrics(registry, { service: 'efile' });
 * ```
 */
export function collectProcessMetrics(
  registry: Registry,
  labels: Readonly<Record<string, string>> = {},
): void {
  collectDefaultMetrics({ register: registry, labels: { ...labels } });
  for (const name of COUNTER_NAMED_GAUGES) registry.removeSingleMetric(name);
}
