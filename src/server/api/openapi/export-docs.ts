import { z } from 'zod';
import { exportQuery } from './request-params.js';
import {
  outputSchema,
  parametersOf,
  problemResponse,
  READ_PROBLEMS,
  type Spec,
} from './responses.js';

/** An NDJSON feed: one JSON record a line, and where the next export starts. */
const ndjsonFeed = (description: string) => ({
  description,
  headers: {
    'X-Export-Until': {
      description: "Epoch ms: records up to here were sent; the next export's `since`.",
      schema: { type: 'string' as const },
    },
  },
  content: { 'application/x-ndjson': { schema: outputSchema(z.string()) } },
});

/** The raw feeds for a data pipeline: a `read` token always, even when reading is public. */
const feed = (spec: Spec): Spec => ({
  ...spec,
  security: [{ bearerAuth: ['read'] }],
  parameters: parametersOf('query', exportQuery),
  responses: {
    ...spec.responses,
    400: problemResponse('`since` cannot be read as a time'),
    ...READ_PROBLEMS,
  },
});

/** The export feeds. */
export const exportDocs: Readonly<Record<'samples' | 'kpis', Spec>> = {
  samples: feed({
    tags: ['export'],
    summary: 'Every scraped sample held, one series a line (NDJSON)',
    responses: {
      200: ndjsonFeed(
        '`{"labels":{…},"t":[ms,…],"v":[…]}` per line, NaN and infinities as strings',
      ),
      501: problemResponse('The server queries a Prometheus source: read samples there'),
    },
  }),
  kpis: feed({
    tags: ['export'],
    summary: 'Every KPI reading in history, in time order (NDJSON)',
    responses: {
      200: ndjsonFeed('`{"kpi","group","t","value","status","policyVersion"}` per line'),
    },
  }),
};
