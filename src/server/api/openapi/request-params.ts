/** Zod schemas of the requests' parameters, for the description only: the routes keep parsing them as before. */
import { z } from 'zod';

const time = (what: string) =>
  z
    .string()
    .optional()
    .meta({
      description: `${what}: RFC 3339 (2026-11-24T12:00:00Z), epoch seconds, or epoch milliseconds (from 1e12).`,
    });

export const kpiIdParams = z.object({ id: z.string().meta({ description: 'The KPI id.' }) });

export const historyQuery = z.object({
  from: time('Range start; default an hour before `to`'),
  to: time('Range end; default now'),
  step: z.string().optional().meta({
    description:
      'Bucket width: a duration (30s, 5m) or whole milliseconds; default the finest giving at most 1 000 buckets.',
  }),
  group: z
    .string()
    .optional()
    .meta({ description: 'Group key of a `by:` KPI, e.g. agency="IRS"; default the whole KPI.' }),
});

const promTime = (what: string) =>
  z.string().meta({ description: `${what}: RFC 3339 or Unix seconds, as Prometheus.` });
const timeout = z
  .string()
  .optional()
  .meta({ description: 'Evaluation time limit, a duration; default 2m.' });
const query = z.string().meta({ description: 'The PromQL expression.' });

export const instantQuery = z.object({
  query,
  time: promTime('Evaluation time; default now').optional(),
  timeout,
});

export const rangeQuery = z.object({
  query,
  start: promTime('Range start'),
  end: promTime('Range end'),
  step: z.string().meta({ description: 'Resolution: a duration or seconds.' }),
  timeout,
});

export const policyChangeQuery = z.object({
  reason: z
    .string()
    .optional()
    .meta({ description: 'Why the change is made, if the x-policy-reason header is not sent.' }),
});

export const exportQuery = z.object({
  since: time(
    "Send records after this time (RFC 3339 or epoch); pass the last export's X-Export-Until; default everything held",
  ),
});

export const inForceQuery = z.object({
  at: z.string().optional().meta({ description: 'An RFC 3339 time; default now.' }),
});

const reason = z
  .string()
  .optional()
  .meta({ description: 'Why, if the x-policy-reason header is not sent.' });

export const rollbackQuery = z.object({
  version: z
    .string()
    .optional()
    .meta({ description: 'The version to restore (or in a JSON body).' }),
  reason,
});

export const auditQuery = z.object({
  limit: z.string().optional().meta({ description: 'Most entries, at most 1 000; default 100.' }),
  before: z.string().optional().meta({ description: 'Only entries with a smaller id (paging).' }),
});

export const proposeQuery = z.object({
  rollback: z.string().optional().meta({ description: 'Propose restoring this version instead.' }),
  reason,
});
