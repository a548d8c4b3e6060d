/** Zod schema of a target's scrape health (`GET /api/v1/targets`), proven equal to the SDK's type. */
import { z } from 'zod';
import type { TargetHealth } from '../../../sdk/types.js';
import type { Assert, SameShape } from './same-shape.js';

export const targetHealthSchema = z
  .object({
    url: z.string(),
    job: z.string(),
    labels: z.record(z.string(), z.string()),
    health: z.enum(['up', 'down', 'unknown']),
    lastScrape: z.iso.datetime({ offset: true }).nullable(),
    lastDurationMs: z.number().nullable(),
    lastSampleCount: z.number().nullable(),
    lastError: z.string().nullable(),
    lastLatenessMs: z.number().nullable(),
    missedSlots: z.number().nullable(),
  })
  .meta({ id: 'TargetHealth', description: 'Scrape health of one target.' });

export const targetHealthListSchema = z.array(targetHealthSchema);

export type TargetHealthProof = Assert<
  SameShape<z.output<typeof targetHealthSchema>, TargetHealth>
>;
