/** `GET /api/v1/stream`: the SSE hub fed with KPI readings and alerts — a snapshot first, then each change once. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AlertInfo, KpiReading, SnapshotEvent, StreamEvents } from '../../../sdk/types.js';
import { judgeStaleness } from '../../kpi/reading-staleness.js';
import { streamDocs } from '../openapi/route-docs.js';
import { SseHub, type SseHubOptions } from './sse-hub.js';

/** Options of {@link createKpiHub}. Hub options other than `snapshot` and `heartbeat` pass through. */
export interface KpiHubOptions extends Omit<SseHubOptions<StreamEvents>, 'snapshot' | 'heartbeat'> {
  /** Every current reading, for the snapshot a new viewer gets first. */
  readonly readings: () => readonly KpiReading[];
  readonly policyVersion: () => number;
  /** Pending and firing alerts for the snapshot (`alerting.current`). Default none. */
  readonly alerts?: () => readonly AlertInfo[];
  /** Clock for the heartbeat's time. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The KPI stream's hub: a new viewer's snapshot is the whole current state, and an idle stream
 * gets a `heartbeat` event (every 15 s by default) that the SDK can see, so a client can tell a
 * quiet stream from a dead one. Readings reach it through the evaluator's `onReading`, wired
 * where the evaluator is built.
 *
 * @example
 * ```ts
 * const stream = createKpiHub({ readings: () => evaluator.readings(), policyVersion: () => 3 });
 * stream.publish('kpi', reading);
 * ```
 */
export function createKpiHub(options: KpiHubOptions): SseHub<StreamEvents> {
  const { readings, policyVersion, alerts, now = Date.now, ...hubOptions } = options;
  return new SseHub<StreamEvents>({
    ...hubOptions,
    snapshot: () => snapshotEvent(readings(), policyVersion(), alerts?.(), now()),
    heartbeat: () => ({ time: new Date(now()).toISOString() }),
  });
}

/** The `snapshot` event for the current state: readings judged for staleness now, and the alerts. */
export function snapshotEvent(
  kpis: readonly KpiReading[],
  policyVersion: number,
  alerts: readonly AlertInfo[] = [],
  nowMs: number,
): SnapshotEvent {
  return { policyVersion, kpis: kpis.map((r) => judgeStaleness(r, nowMs)), alerts };
}

/** Options of {@link createStreamRoutes}. */
export interface StreamRoutesOptions {
  readonly hub: SseHub<StreamEvents>;
}

/**
 * The stream route. Under @hono/node-server the hub writes straight to the socket (it finds
 * `c.env.outgoing`); in `app.request` it answers with a web stream.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/stream', createStreamRoutes({ hub }));
 * ```
 */
export function createStreamRoutes(options: StreamRoutesOptions) {
  return new Hono().get('/', describeRoute(streamDocs.stream), (c) => options.hub.connect(c));
}

/** The stream route's type. */
export type StreamRoutes = ReturnType<typeof createStreamRoutes>;
