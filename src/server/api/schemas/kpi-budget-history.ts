/** Zod schema of an error budget's burn-down (`GET /api/v1/kpis/:id/budget`), proven equal to the SDK's type. */
import { z } from 'zod';
import type { KpiBudgetHistory } from '../../../sdk/types.js';
import type { Assert, SameShape } from './same-shape.js';

export const kpiBudgetHistorySchema = z
  .object({
    id: z.string(),
    objective: z.number().meta({ description: 'The promised fraction, e.g. 0.99.' }),
    window: z.string().meta({ description: 'The window, as a Prometheus duration, e.g. 30d.' }),
    from: z.number().meta({ description: "The window's start, ms since the epoch." }),
    to: z
      .number()
      .meta({ description: "The window's end (the answer's time), ms since the epoch." }),
    step: z.number().meta({ description: 'Bucket width, ms.' }),
    t: z.array(z.number()).meta({ description: 'Start times of the buckets with a reading.' }),
    remaining: z.array(z.number()).meta({
      description:
        'Share of the budget left after each bucket: 1 untouched, 0 spent, below 0 overspent.',
    }),
  })
  .meta({
    id: 'KpiBudgetHistory',
    description: "An error budget's burn-down over its window, columnar, ready for a chart.",
  });

export type KpiBudgetHistoryProof = Assert<
  SameShape<z.output<typeof kpiBudgetHistorySchema>, KpiBudgetHistory>
>;
