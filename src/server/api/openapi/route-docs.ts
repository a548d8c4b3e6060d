/** The OpenAPI description of every route the server serves, one `describeRoute` spec each, from the zod schemas. */
import type { DescribeRouteOptions } from 'hono-openapi';
import { z } from 'zod';
import { livenessSchema, readinessSchema } from '../schemas/health.js';
import { kpiHistorySchema } from '../schemas/kpi-history.js';
import { kpiReadingListSchema, kpiReadingSchema } from '../schemas/kpi-reading.js';
import {
  policyDocumentSchema,
  policyVersionInfoSchema,
  policyVersionListSchema,
} from '../schemas/policy.js';
import {
  policyAuditListSchema,
  policyProposalDetailSchema,
  policyProposalInfoSchema,
  policyProposalListSchema,
  policyVersionDetailSchema,
} from '../schemas/policy-governance.js';
import { prometheusErrorSchema, prometheusSuccessSchema } from '../schemas/prometheus-query.js';
import {
  alertListSchema,
  newSilenceSchema,
  silenceListSchema,
  silenceSchema,
} from '../schemas/silence.js';
import { schemaId, streamEventSchemas } from '../schemas/stream-events.js';
import { targetHealthListSchema } from '../schemas/target-health.js';
import {
  auditQuery,
  exportQuery,
  historyQuery,
  inForceQuery,
  instantQuery,
  kpiIdParams,
  policyChangeQuery,
  proposeQuery,
  rangeQuery,
  rollbackQuery,
} from './request-params.js';
import {
  jsonResponse,
  outputSchema,
  parametersOf,
  problemResponse,
  READ_PROBLEMS,
  READ_SECURITY,
  WRITE_SECURITY,
} from './responses.js';

type Spec = DescribeRouteOptions;

const read = (spec: Spec): Spec => ({
  security: READ_SECURITY,
  ...spec,
  responses: { ...spec.responses, ...READ_PROBLEMS },
});

const text = (description: string, mediaType: string) => ({
  description,
  content: { [mediaType]: { schema: outputSchema(z.string()) } },
});

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

/** A version or proposal number in the path. */
const numberParam = (name: string, description: string) => ({
  name,
  in: 'path' as const,
  required: true,
  description,
  schema: { type: 'string' as const, pattern: '^[0-9]+$' },
});

/** Who may change, and how a change is refused: the answers every change route shares. */
const WRITE_PROBLEMS = {
  401: problemResponse('No bearer token, or an unknown one'),
  403: problemResponse('The token lacks the `write` scope'),
};

/** Why a change is refused, beyond the guard; each names the version in force. */
const CHANGE_PROBLEMS = {
  400: problemResponse('Refused: no reason given, or the policy has problems (`errors`)'),
  ...WRITE_PROBLEMS,
  409: problemResponse('`If-Match` names a version no longer in force; nothing was changed'),
  428: problemResponse('`If-Match` with the current ETag is required'),
};

/** Reading and changing the policy. */
export const policyDocs: Readonly<Record<'read' | 'versions' | 'change', Spec>> = {
  read: read({
    tags: ['policy'],
    summary: 'The running policy, secrets hidden',
    responses: {
      200: {
        description:
          'The policy with its version; YAML text when asked with Accept: application/yaml',
        content: {
          'application/json': { schema: outputSchema(policyDocumentSchema) },
          'application/yaml': { schema: outputSchema(z.string()) },
        },
      },
    },
  }),
  versions: read({
    tags: ['policy'],
    summary: 'Every accepted policy version, oldest first',
    responses: { 200: jsonResponse('The versions', policyVersionListSchema) },
  }),
  change: {
    tags: ['policy'],
    summary: 'Change the policy',
    description:
      'Validates the YAML text, swaps the scrape targets and records a new version; a refused text changes nothing.',
    security: WRITE_SECURITY,
    parameters: [
      ...parametersOf('query', policyChangeQuery),
      {
        name: 'x-policy-reason',
        in: 'header',
        required: false,
        description: 'Why the change is made; kept with the version.',
        schema: { type: 'string', maxLength: 500 },
      },
    ],
    requestBody: {
      required: true,
      description: 'The whole policy file.',
      content: { 'application/yaml': { schema: outputSchema(z.string()) } },
    },
    responses: {
      200: jsonResponse('The version now running', policyVersionInfoSchema),
      ...CHANGE_PROBLEMS,
      413: problemResponse('The policy is larger than allowed (1 MiB by default)'),
    },
  },
};

/** Policy versions, audit, rollback and the two-person rule. */
export const governanceDocs: Readonly<
  Record<
    'version' | 'inForce' | 'rollback' | 'audit' | 'proposals' | 'proposal' | 'propose' | 'approve',
    Spec
  >
> = {
  version: read({
    tags: ['policy'],
    summary: 'One policy version: its redacted text and its diff from the one before',
    parameters: [numberParam('n', 'The version number.')],
    responses: {
      200: jsonResponse('The version', policyVersionDetailSchema),
      404: problemResponse('No such version'),
    },
  }),
  inForce: read({
    tags: ['policy'],
    summary: 'The version in force at a time',
    parameters: parametersOf('query', inForceQuery),
    responses: {
      200: jsonResponse('The version then in force', policyVersionInfoSchema),
      400: problemResponse('`at` is not an RFC 3339 time'),
      404: problemResponse('No version was in force then'),
    },
  }),
  rollback: {
    tags: ['policy'],
    summary: "Make an earlier version's text the running policy, as a new version",
    security: WRITE_SECURITY,
    parameters: parametersOf('query', rollbackQuery),
    responses: {
      200: jsonResponse('The new version', policyVersionInfoSchema),
      ...CHANGE_PROBLEMS,
      404: problemResponse('No such version to roll back to'),
    },
  },
  audit: {
    tags: ['policy'],
    summary: 'Every attempt to change the policy, accepted or refused, newest first',
    security: WRITE_SECURITY,
    parameters: parametersOf('query', auditQuery),
    responses: { 200: jsonResponse('The audit entries', policyAuditListSchema), ...WRITE_PROBLEMS },
  },
  proposals: {
    tags: ['policy'],
    summary: 'Changes waiting for a second token (two-person rule)',
    security: WRITE_SECURITY,
    responses: { 200: jsonResponse('The proposals', policyProposalListSchema), ...WRITE_PROBLEMS },
  },
  proposal: {
    tags: ['policy'],
    summary: 'One proposal, with the diff it would make',
    security: WRITE_SECURITY,
    parameters: [numberParam('id', 'The proposal number.')],
    responses: {
      200: jsonResponse('The proposal', policyProposalDetailSchema),
      404: problemResponse('No such proposal'),
      ...WRITE_PROBLEMS,
    },
  },
  propose: {
    tags: ['policy'],
    summary: 'Propose a change (or a rollback) for a second token to approve',
    security: WRITE_SECURITY,
    parameters: parametersOf('query', proposeQuery),
    requestBody: {
      required: false,
      description: 'The whole policy file, unless `rollback` names a version.',
      content: { 'application/yaml': { schema: outputSchema(z.string()) } },
    },
    responses: {
      201: jsonResponse('The proposal, pending', policyProposalInfoSchema),
      ...CHANGE_PROBLEMS,
      413: problemResponse('The policy is larger than allowed (1 MiB)'),
    },
  },
  approve: {
    tags: ['policy'],
    summary: 'Approve a proposal with a second token; it becomes the running policy',
    security: WRITE_SECURITY,
    parameters: [numberParam('id', 'The proposal number.')],
    responses: {
      200: jsonResponse('The new version', policyVersionInfoSchema),
      ...CHANGE_PROBLEMS,
      404: problemResponse('No such pending proposal'),
    },
  },
};

/** Read the policy file again, as SIGHUP does. */
export const reloadDoc: Spec = {
  tags: ['policy'],
  summary: 'Read the policy file again, as SIGHUP does; a changed file is a new version',
  security: WRITE_SECURITY,
  parameters: parametersOf('query', policyChangeQuery),
  responses: {
    200: jsonResponse('The version in force after the reload', policyVersionInfoSchema),
    ...CHANGE_PROBLEMS,
  },
};

/** Alerts and silences. */
export const alertDocs: Readonly<
  Record<'alerts' | 'silences' | 'silence' | 'addSilence' | 'expireSilence', Spec>
> = {
  alerts: read({
    tags: ['alerts'],
    summary: 'Alerts pending and firing now',
    responses: { 200: jsonResponse('The alerts', alertListSchema) },
  }),
  silences: read({
    tags: ['alerts'],
    summary: 'Every silence, newest first (expired ones for a while too)',
    responses: { 200: jsonResponse('The silences', silenceListSchema) },
  }),
  silence: read({
    tags: ['alerts'],
    summary: 'One silence',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      200: jsonResponse('The silence', silenceSchema),
      404: problemResponse('No silence has this id'),
    },
  }),
  addSilence: {
    tags: ['alerts'],
    summary: 'Add a silence',
    security: WRITE_SECURITY,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: outputSchema(newSilenceSchema) } },
    },
    responses: {
      201: jsonResponse('The silence', silenceSchema),
      400: problemResponse('The silence cannot be added; `field` names the bad field'),
      ...WRITE_PROBLEMS,
    },
  },
  expireSilence: {
    tags: ['alerts'],
    summary: 'End a silence now',
    security: WRITE_SECURITY,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      200: jsonResponse('The silence, expired', silenceSchema),
      404: problemResponse('No silence has this id'),
      ...WRITE_PROBLEMS,
    },
  },
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
      'Public code with no data in it: CORS open to any page, cached five minutes, a strong ETag. ' +
      'Answers 503 with a problem body only when the bundle is neither built nor buildable.',
    security: [],
    responses: {
      200: text('The bundle', 'text/javascript'),
      304: { description: 'The copy named by If-None-Match is current' },
    },
  },
  openapi: read({
    tags: ['server'],
    summary: 'This document (OpenAPI 3.1)',
    responses: {
      200: jsonResponse('The document', z.record(z.string(), z.unknown())),
    },
  }),
};
