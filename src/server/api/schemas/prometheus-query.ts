/** Zod schemas of Prometheus's query API envelope (`/api/v1/query`, `/api/v1/query_range`), proven equal to the server's type. */
import { z } from 'zod';
import type { PrometheusErrorType, PrometheusQueryData } from '../prometheus-json.js';
import type { Assert, SameShape } from './same-shape.js';

const labels = z.record(z.string(), z.string());
const sample = z
  .tuple([z.number(), z.string()])
  .meta({ description: '[time in seconds, value as text].' });

const queryData = z.discriminatedUnion('resultType', [
  z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: labels, value: sample })),
  }),
  z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: labels, values: z.array(sample) })),
  }),
  z.object({ resultType: z.enum(['scalar', 'string']), result: sample }),
]);

export const prometheusSuccessSchema = z
  .object({ status: z.literal('success'), data: queryData })
  .meta({ id: 'PrometheusQuerySuccess', description: "Prometheus's query answer." });

const errorTypes = [
  'bad_data',
  'execution',
  'timeout',
  'canceled',
  'unavailable',
  'internal',
] as const satisfies readonly PrometheusErrorType[];

export const prometheusErrorSchema = z
  .object({ status: z.literal('error'), errorType: z.enum(errorTypes), error: z.string() })
  .meta({ id: 'PrometheusQueryError', description: "Prometheus's error answer." });

export type PrometheusQueryProofs = [
  Assert<SameShape<z.output<typeof queryData>, PrometheusQueryData>>,
  Assert<SameShape<(typeof errorTypes)[number], PrometheusErrorType>>,
];
