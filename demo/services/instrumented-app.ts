/** The frame every demo service shares: knob routes, the exporter, `/metrics`, fault injection. */
import { Hono, type MiddlewareHandler } from 'hono';
import { Registry } from 'prom-client';
import { createExporter } from '../../src/exporter/index.js';
import { injectFaults, Knobs, knobRoutes } from './knobs.js';
import { onWorker, type WorkerPool, workerPoolRoutes } from './worker-pool.js';

/** Options every demo service takes. Every field is optional. */
export interface DemoServiceOptions {
  /** The service's knobs; pass your own to drive them from outside. Default: no faults. */
  readonly knobs?: Knobs;
  /** Random source for injected errors and simulated work. Default `Math.random`. */
  readonly random?: () => number;
  /** Simulated work per request, ms, as `[min, max]`. Default per service. */
  readonly workMs?: readonly [number, number];
  /** Workers that requests with faults wait for; `/_knobs/workers` resizes it. Default: no limit. */
  readonly pool?: WorkerPool;
}

/** A demo service, ready to be served or called in-process with `app.request`. */
export interface DemoService {
  readonly name: string;
  readonly app: Hono;
  readonly knobs: Knobs;
  /** The service's own registry: two services in one process must not share metrics. */
  readonly registry: Registry;
}

/**
 * Builds the app with the routes that are not business traffic registered first: Hono runs
 * handlers in registration order and these answer without calling `next`, so neither knob
 * changes nor scrapes are counted by the exporter registered after them.
 */
export function instrumentedApp(
  name: string,
  options: DemoServiceOptions,
): DemoService & { faults: MiddlewareHandler; simulateWork(): Promise<void> } {
  const knobs = options.knobs ?? new Knobs();
  const random = options.random ?? Math.random;
  const [minMs, maxMs] = options.workMs ?? [10, 40];
  const registry = new Registry();
  const exporter = createExporter({
    constLabels: { service: name, agency: 'IRS', env: 'demo' },
    registry,
  });
  const app = new Hono();
  const control = knobRoutes(knobs);
  if (options.pool) control.route('/workers', workerPoolRoutes(options.pool));
  app.route('/_knobs', control);
  app.get('/metrics', exporter.handler);
  app.use(exporter.middleware);
  const simulateWork = () =>
    new Promise<void>((resolve) => setTimeout(resolve, minMs + random() * (maxMs - minMs)));
  // Mounted per route, not app-wide, so an injected fault keeps the route's own `route` label.
  const inject = injectFaults(knobs, random);
  const faults = options.pool ? onWorker(options.pool, inject) : inject;
  return { name, app, knobs, registry, faults, simulateWork };
}
