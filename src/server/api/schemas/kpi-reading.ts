/** Zod schemas of a KPI reading (`GET /api/v1/kpis/:id`, the `kpi` stream event), proven equal to the SDK's types. */
import { z } from 'zod';
import {
  DIRECTIONS,
  KPI_STATUSES,
  KPI_UNITS,
  type KpiBudget,
  type KpiGroupReading,
  type KpiReading,
  type KpiThresholds,
} from '../../../sdk/types.js';
import type { Assert, SameShape } from './same-shape.js';

export const kpiStatusSchema = z
  .enum(KPI_STATUSES)
  .meta({ id: 'KpiStatus', description: 'ok green, warning yellow, critical red, unknown grey.' });

const unknownReasonSchema = z
  .union([
    z.literal('no data'),
    z.literal('stale target'),
    z.templateLiteral(['query error: ', z.string()]),
  ])
  .meta({ description: 'Why the light is unknown.' });

const thresholdsSchema = z
  .object({ warning: z.number(), critical: z.number() })
  .meta({ id: 'KpiThresholds' });

const labelsSchema = z.record(z.string(), z.string());

const groupReadingSchema = z
  .object({
    labels: labelsSchema,
    value: z.number().nullable(),
    status: kpiStatusSchema,
    reason: unknownReasonSchema.optional(),
  })
  .meta({ id: 'KpiGroupReading' });

const budgetSchema = z
  .object({
    objective: z.number(),
    window: z.string(),
    remaining: z.number(),
    burned: z.number().optional(),
  })
  .meta({ id: 'KpiBudget' });

export const kpiReadingSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    unit: z.enum(KPI_UNITS),
    direction: z.enum(DIRECTIONS),
    thresholds: thresholdsSchema,
    objective: z.number().optional(),
    value: z.number().nullable().meta({ description: 'null when unknown.' }),
    status: kpiStatusSchema,
    reason: unknownReasonSchema.optional(),
    evaluatedAt: z.iso.datetime({ offset: true }),
    policyVersion: z.int(),
    runbook: z.string().optional(),
    groups: z.array(groupReadingSchema).optional(),
    budget: budgetSchema.optional(),
    warnings: z.array(z.string()).optional(),
    stale: z.boolean().meta({ description: 'Do not act on this reading.' }),
    staleAfter: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'KpiReading', description: 'The current reading of one KPI.' });

export const kpiReadingListSchema = z.array(kpiReadingSchema);

// The compiler proves each schema matches the interface the SDK hands to its callers.
export type KpiReadingProofs = [
  Assert<SameShape<z.output<typeof thresholdsSchema>, KpiThresholds>>,
  Assert<SameShape<z.output<typeof groupReadingSchema>, KpiGroupReading>>,
  Assert<SameShape<z.output<typeof budgetSchema>, KpiBudget>>,
  Assert<SameShape<z.output<typeof kpiReadingSchema>, KpiReading>>,
];
