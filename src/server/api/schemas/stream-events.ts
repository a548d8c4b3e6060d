/** Zod schemas of the stream's event payloads (`GET /api/v1/stream`), proven equal to the SDK's types. */
import { z } from 'zod';
import type {
  AlertInfo,
  HeartbeatEvent,
  SnapshotEvent,
  StreamEventName,
  StreamEvents,
} from '../../../sdk/types.js';
import { kpiReadingSchema } from './kpi-reading.js';
import type { Assert, SameShape } from './same-shape.js';

export const alertInfoSchema = z
  .object({
    id: z
      .string()
      .meta({ description: 'Stable id: a hash of the labels, the same across restarts.' }),
    name: z.string(),
    state: z.enum(['pending', 'firing', 'resolved']),
    severity: z.string(),
    kpi: z.string().optional(),
    labels: z.record(z.string(), z.string()),
    summary: z.string().optional(),
    description: z.string().optional(),
    runbook: z.string().optional(),
    value: z.number().nullable().optional(),
    threshold: z.number().optional(),
    budgetRemaining: z.number().optional(),
    activeAt: z.iso.datetime({ offset: true }),
    firedAt: z.iso.datetime({ offset: true }).optional(),
    resolvedAt: z.iso.datetime({ offset: true }).optional(),
    silencedBy: z.array(z.string()).optional(),
    inhibited: z.boolean().optional(),
    policyVersion: z.int().min(1),
  })
  .meta({ id: 'AlertInfo', description: 'One alert; the `alert` event.' });

export const snapshotEventSchema = z
  .object({
    policyVersion: z.int(),
    kpis: z.array(kpiReadingSchema),
    alerts: z.array(alertInfoSchema),
  })
  .meta({ id: 'SnapshotEvent', description: 'The first event: the whole current state.' });

export const heartbeatEventSchema = z
  .object({ time: z.iso.datetime({ offset: true }) })
  .meta({ id: 'HeartbeatEvent', description: 'Sent after 15 s of silence.' });

export type StreamEventProofs = [
  Assert<SameShape<z.output<typeof alertInfoSchema>, AlertInfo>>,
  Assert<SameShape<z.output<typeof snapshotEventSchema>, SnapshotEvent>>,
  Assert<SameShape<z.output<typeof heartbeatEventSchema>, HeartbeatEvent>>,
];

/** Each stream event's payload schema, by SSE event name. */
export const streamEventSchemas = {
  snapshot: snapshotEventSchema,
  kpi: kpiReadingSchema,
  alert: alertInfoSchema,
  heartbeat: heartbeatEventSchema,
} satisfies Record<StreamEventName, z.ZodType>;

/**
 * The id a schema is published under in `components.schemas` (its zod `meta({ id })`).
 *
 * @example
 * ```ts
 * schemaId(snapshotEventSchema); // 'SnapshotEvent'
 * ```
 */
export function schemaId(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('a stream event schema has no id');
  return id;
}

// Every event the SDK's StreamEvents names has a schema of the same shape, and no other.
export type StreamEventMapProof = Assert<
  SameShape<
    { [K in keyof typeof streamEventSchemas]: z.output<(typeof streamEventSchemas)[K]> },
    StreamEvents
  >
>;
