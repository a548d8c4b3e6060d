/** The connection guard's counts on the server's `/metrics`. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ConnectionStats } from './connection-guard.js';

/**
 * Registers `kpi_lights_http_connections` (admitted and open now) and
 * `kpi_lights_http_connections_refused_total{reason}` (`total`: the server was full;
 * `per-client`: the client's address was), read from the guard when `/metrics` is scraped.
 *
 * @example
 * ```ts
 * registerConnectionMetrics(app.metrics.registry, () => guard.stats());
 * ```
 */
export function registerConnectionMetrics(registry: Registry, stats: () => ConnectionStats): void {
  new Gauge({
    name: 'kpi_lights_http_connections',
    help: 'Client connections admitted and open now.',
    registers: [registry],
    collect() {
      this.set(stats().open);
    },
  });
  new Counter({
    name: 'kpi_lights_http_connections_refused_total',
    help: 'Client connections refused past a cap: the whole server (total) or one client address (per-client).',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      const { total, perClient } = stats().refused;
      this.reset();
      if (total > 0) this.inc({ reason: 'total' }, total);
      if (perClient > 0) this.inc({ reason: 'per-client' }, perClient);
    },
  });
}
