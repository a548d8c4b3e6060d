import { z } from 'zod';
import { livenessSchema, readinessSchema } from '../schemas/health.js';
import { kpiHistorySchema } from '../schemas/kpi-history.js';
import { kpiReadingListSchema, kpiReadingSchema } from '../schemas/kpi-reading.js';
import { prometheusErrorSchema, prometheusSuccessSchema } from '../schemas/prometheus-query.js';
import { schemaId, streamEventSchemas } from '../schemas/stream-events.js';
import { targetHealthListSchema } from '../schemas/target-health.js';
import { CODING_NOTE, embedEntryResponses } from './embed-docs.js';
import { historyQuery, instantQuery, kpiIdParams, rangeQuery } from './request-params.js';
import {
  jsonResponse,
  outputSchema,
  parametersOf,
  problemResponse,
  read,
  type Spec,
  text,
} from './responses.js';

/** KPI readings and history. */
export const kpiDocs: Readonly<Record<'list' | 'one' | 'history', Spec>> = {
  list: read({
    tags: ['kpis'],
    summary: 'Every current KPI reading',
    responses: { 200: jsonResponse('The readings, in policy order', kpiReadingListSchema) },
  }),
  one: read({
    tags: ['kpis'],
    summary: 'One KPI reading',
    parameters: parametersOf('path', kpiIdParams),
    responses: {
      200: jsonResponse('The reading, with its thresholds and policy version', kpiReadingSchema),
      404: problemResponse('No KPI has this id'),
      503: problemResponse('The KPI is in the policy but has not been evaluated yet'),
    },
  }),
  history: read({
    tags: ['kpis'],
    summary: "A KPI's history, columnar, for a chart",
    description: 'Buckets average the values and keep the worst status.',
    parameters: [...parametersOf('path', kpiIdParams), ...parametersOf('query', historyQuery)],
    responses: {
      200: jsonResponse('One entry per bucket in t, v and status', kpiHistorySchema),
      400: problemResponse('A parameter cannot be read, or asks for too many buckets'),
      404: problemResponse('No KPI has this id, now or in the past'),
    },
  }),
};

/** Scrape health. */
export const targetDocs: Readonly<Record<'list', Spec>> = {
  list: read({
    tags: ['targets'],
    summary: 'Scrape health of every target',
    responses: {
      200: jsonResponse('One entry per target, in policy order', targetHealthListSchema),
    },
  }),
};

/** The stream's media type; `x-events` (an extension) gives each event's JSON data by name. */
const streamMedia = {
  schema: outputSchema(z.string()),
  // The schemas are generated into components from the stream's zod schemas.
  'x-events': Object.fromEntries(
    Object.entries(streamEventSchemas).map(([name, schema]) => [
      name,
      { $ref: `#/components/schemas/${schemaId(schema)}` },
    ]),
  ),
};

/** The live stream; its payload schemas are listed under the media type's `x-events`. */
export const streamDocs: Readonly<Record<'stream', Spec>> = {
  stream: read({
    tags: ['stream'],
    summary: 'Live readings (Server-Sent Events)',
    description: [
      'One stream per viewer, with every KPI. Events, each with JSON data and an id to resume from:',
      '- `snapshot` (SnapshotEvent): the whole current state, first on every connection and again after a policy change or when the `Last-Event-ID` sent is no longer held;',
      '- `kpi` (KpiReading): a reading that changed, once per change;',
      '- `alert` (AlertInfo): an alert that changed state;',
      '- `heartbeat` (HeartbeatEvent): after 15 s of silence, so a quiet stream can be told from a dead one.',
      'Send `Last-Event-ID` to resume after a lost connection.',
    ].join('\n'),
    parameters: [
      {
        name: 'Last-Event-ID',
        in: 'header',
        required: false,
        description: 'The id of the last event seen, to resume from.',
        schema: { type: 'string' },
      },
    ],
    responses: {
      200: {
        description: 'The event stream',
        content: { 'text/event-stream': streamMedia },
      },
    },
  }),
};

const prometheusErrors = {
  400: jsonResponse('bad_data: a parameter or the query cannot be read', prometheusErrorSchema),
  422: jsonResponse('execution: the query failed or passed a limit', prometheusErrorSchema),
  500: jsonResponse('internal: the server failed', prometheusErrorSchema),
  503: jsonResponse('timeout or unavailable', prometheusErrorSchema),
};

const formBody = (schema: z.ZodObject) => ({
  required: false,
  content: { 'application/x-www-form-urlencoded': { schema: outputSchema(schema.partial()) } },
});

/** Prometheus's query API; its errors are in Prometheus's envelope, not problem details. */
export const queryDocs: Readonly<Record<'instant' | 'instantForm' | 'range' | 'rangeForm', Spec>> =
  {
    instant: read({
      tags: ['prometheus'],
      summary: 'Instant query, as Prometheus',
      parameters: parametersOf('query', instantQuery),
      responses: { 200: jsonResponse('The result', prometheusSuccessSchema), ...prometheusErrors },
    }),
    instantForm: read({
      tags: ['prometheus'],
      summary: 'Instant query with a form body, as Prometheus',
      requestBody: formBody(instantQuery),
      responses: { 200: jsonResponse('The result', prometheusSuccessSchema), ...prometheusErrors },
    }),
    range: read({
      tags: ['prometheus'],
      summary: 'Range query, as Prometheus',
      parameters: parametersOf('query', rangeQuery),
      responses: { 200: jsonResponse('The result', prometheusSuccessSchema), ...prometheusErrors },
    }),
    rangeForm: read({
      tags: ['prometheus'],
      summary: 'Range query with a form body, as Prometheus',
      requestBody: formBody(rangeQuery),
      responses: { 200: jsonResponse('The result', prometheusSuccessSchema), ...prometheusErrors },
    }),
  };

/** Probes and the server's own telemetry, at the root. */
export const serverDocs: Readonly<
  Record<'liveness' | 'readiness' | 'metrics' | 'openapi' | 'embed', Spec>
> = {
  liveness: {
    tags: ['server'],
    summary: 'The process answers',
    security: [],
    responses: { 200: jsonResponse('Alive', livenessSchema) },
  },
  readiness: {
    tags: ['server'],
    summary: 'Policy loaded, database open, first evaluation done',
    security: [],
    responses: {
      200: jsonResponse('Ready', readinessSchema),
      503: jsonResponse('Not ready; the failing checks are named', readinessSchema),
    },
  },
  metrics: read({
    tags: ['server'],
    summary: "The server's own metrics, Prometheus text format",
    responses: { 200: text('The exposition', 'text/plain') },
  }),
  embed: {
    tags: ['server'],
    summary: 'The web components, one ES module for one script tag',
    description:
      'Public code with no data in it: CORS open to any page, cached five minutes. ' +
      `${CODING_NOTE} It imports the chart's part from /embed/ only on a page with a chart.`,
    security: [],
    responses: embedEntryResponses,
  },
  openapi: read({
    tags: ['server'],
    summary: 'This document (OpenAPI 3.1)',
    responses: {
      200: jsonResponse('The document', z.record(z.string(), z.unknown())),
    },
  }),
};
