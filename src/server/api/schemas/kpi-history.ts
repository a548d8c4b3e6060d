/** Zod schema of a KPI's columnar history (`GET /api/v1/kpis/:id/history`), proven equal to the SDK's type. */
import { z } from 'zod';
import type { KpiHistory } from '../../../sdk/types.js';
import { kpiStatusSchema } from './kpi-reading.js';
import type { Assert, SameShape } from './same-shape.js';

export const kpiHistorySchema = z
  .object({
    id: z.string(),
    group: z.string().optional().meta({ description: 'Group key for `by:` KPIs.' }),
    from: z.number().meta({ description: 'Range start, ms since the epoch.' }),
    to: z.number().meta({ description: 'Range end, ms since the epoch.' }),
    step: z.number().meta({ description: 'Bucket width, ms.' }),
    t: z.array(z.number()).meta({ description: 'Bucket start times, ms since the epoch.' }),
    v: z.array(z.number().nullable()).meta({ description: 'Mean per bucket; null when empty.' }),
    status: z.array(kpiStatusSchema).meta({ description: 'Worst status per bucket.' }),
    version: z
      .array(z.int().min(1).nullable())
      .optional()
      .meta({ description: 'Newest policy version behind each bucket; null when empty.' }),
  })
  .meta({ id: 'KpiHistory', description: 'A KPI past, columnar, ready for a chart.' });

export type KpiHistoryProof = Assert<SameShape<z.output<typeof kpiHistorySchema>, KpiHistory>>;
