/** `GET /api/v1/stream`: the SSE hub fed with KPI readings — a snapshot first, then each change once. */
import { Hono } from 'hono';
import type { HeartbeatEvent, KpiReading, SnapshotEvent, StreamEvents } from '../../sdk/types.js';
import { judgeStaleness } from '../kpi/reading-staleness.js';
import { SseHub, type SseHubOptions } from './sse-hub.js';

/** Options of {@link createKpiHub}. Hub options other than `snapshot` pass through. */
export interface KpiHubOptions extends Omit<SseHubOptions, 'snapshot'> {
  /** Every current reading, for the snapshot a new viewer gets first. */
  readonly readings: () => readonly KpiReading[];
  readonly policyVersion: () => number;
}

/**
 * An SSE hub whose snapshot is the whole current state. Its own heartbeat comments default to
 * once a minute: {@link publishReadings} sends `heartbeat` events, which the SDK can see, when
 * the stream is idle.
 *
 * @example
 * ```ts
 * const hub = createKpiHub({ readings: () => evaluator.readings(), policyVersion: () => 3 });
 * ```
 */
export function createKpiHub(options: KpiHubOptions): SseHub {
  const { readings, policyVersion, ...hubOptions } = options;
  return new SseHub({
    heartbeatMs: 60_000,
    ...hubOptions,
    snapshot: () => snapshotEvent(readings(), policyVersion()),
  });
}

/** The `snapshot` event for the current state. */
export function snapshotEvent(kpis: readonly KpiReading[], policyVersion: number): SnapshotEvent {
  return { policyVersion, kpis: kpis.map((r) => judgeStaleness(r, Date.now())), alerts: [] };
}

/** Sends one typed event. */
export function publishEvent<K extends keyof StreamEvents>(
  hub: SseHub,
  type: K,
  data: StreamEvents[K],
): number {
  return hub.publish(type, data);
}

/** Options of {@link publishReadings}. */
export interface PublishReadingsOptions {
  readonly hub: SseHub;
  /** Subscribes to readings as the evaluator makes them; answers an unsubscribe. */
  readonly onReading: (listener: (reading: KpiReading) => void) => () => void;
  /** A `heartbeat` event goes out when nothing else did for this long, ms. Default 15 000. */
  readonly heartbeatMs?: number;
  readonly now?: () => number;
}

/**
 * Publishes each KPI reading the evaluator reports (it reports changes only: the evaluation time
 * alone is no change), and a `heartbeat` event whenever the stream was idle for `heartbeatMs`.
 * Answers a function that stops publishing.
 *
 * @example
 * ```ts
 * const stop = publishReadings({ hub, onReading: (l) => evaluator.onReading(l) });
 * ```
 */
export function publishReadings(options: PublishReadingsOptions): () => void {
  const { hub } = options;
  const now = options.now ?? Date.now;
  const unsubscribe = options.onReading((reading) => {
    publishEvent(hub, 'kpi', reading);
  });
  let seen = hub.stats.eventsPublished;
  const timer = setInterval(() => {
    const published = hub.stats.eventsPublished;
    if (published === seen && hub.stats.clients > 0) {
      const beat: HeartbeatEvent = { time: new Date(now()).toISOString() };
      publishEvent(hub, 'heartbeat', beat);
    }
    seen = hub.stats.eventsPublished;
  }, options.heartbeatMs ?? 15_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

/** Options of {@link createStreamRoutes}. */
export interface StreamRoutesOptions {
  readonly hub: SseHub;
}

/**
 * The stream route. Under @hono/node-server the hub writes straight to the socket (it finds
 * `c.env.outgoing`); in `app.request` it answers with a web stream.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/', createStreamRoutes({ hub }));
 * ```
 */
export function createStreamRoutes(options: StreamRoutesOptions) {
  return new Hono().get('/api/v1/stream', (c) => options.hub.connect(c));
}

/** The stream route's type. */
export type StreamRoutes = ReturnType<typeof createStreamRoutes>;
