/** Building blocks of the route descriptions: JSON and problem responses, parameters and security, all from zod schemas. */
import type { DescribeRouteOptions, ResolverReturnType } from 'hono-openapi';
import { resolver } from 'hono-openapi';
import { z } from 'zod';
import { PROBLEM_TYPE } from '../problem.js';
import { problemDetailsSchema } from '../schemas/problem-details.js';

type Responses = NonNullable<DescribeRouteOptions['responses']>;
type Response = Responses[string];
type Security = NonNullable<DescribeRouteOptions['security']>;
type Parameter = Extract<NonNullable<DescribeRouteOptions['parameters']>[number], { in: string }>;

/**
 * A schema as the server sends it: the output side, so plain objects are closed
 * (`additionalProperties: false`) and a field the server adds without the schema fails the tests.
 *
 * @example
 * ```ts
 * const content = { 'application/json': { schema: outputSchema(kpiHistorySchema) } };
 * ```
 */
export function outputSchema(schema: z.ZodType): ResolverReturnType {
  return resolver(schema, { options: { io: 'output' } });
}

/**
 * A JSON response.
 *
 * @example
 * ```ts
 * responses: { 200: jsonResponse('The current reading', kpiReadingSchema) }
 * ```
 */
export function jsonResponse(description: string, schema: z.ZodType): Response {
  return { description, content: { 'application/json': { schema: outputSchema(schema) } } };
}

/**
 * An RFC 9457 problem response.
 *
 * @example
 * ```ts
 * responses: { 404: problemResponse('No KPI has this id') }
 * ```
 */
export function problemResponse(description: string): Response {
  return {
    description,
    content: { [PROBLEM_TYPE]: { schema: outputSchema(problemDetailsSchema) } },
  };
}

/** The guard's answers on every route behind the read scope. */
export const READ_PROBLEMS: Responses = {
  401: problemResponse(
    'Reading needs a bearer token (policy `auth.read: token`) and none, or an unknown one, was sent',
  ),
  403: problemResponse('The token lacks the `read` scope'),
};

/** The guard's answers on every route that needs a `write` token. */
export const WRITE_PROBLEMS: Responses = {
  401: problemResponse('No bearer token, or an unknown one'),
  403: problemResponse('The token lacks the `write` scope'),
};

/** Public when the policy says `auth.read: public`, else a token with `read` (or `write`). */
export const READ_SECURITY: Security = [{}, { bearerAuth: ['read'] }];

/** Every change needs a token with the `write` scope. */
export const WRITE_SECURITY: Security = [{ bearerAuth: ['write'] }];

/**
 * OpenAPI parameters from the fields of a zod object: each field's description and JSON Schema,
 * required unless optional.
 *
 * @example
 * ```ts
 * parameters: parametersOf('query', z.object({ from: z.string().optional() }))
 * ```
 */
export function parametersOf(where: 'query' | 'path', schema: z.ZodObject): Parameter[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { description, ...json } = z.toJSONSchema(field, { io: 'input' });
    delete json.$schema;
    return {
      name,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      ...(typeof description === 'string' && { description }),
      // OpenAPI 3.1 parameter schemas are JSON Schema 2020-12, which zod writes.
      schema: json as Parameter['schema'],
    };
  });
}

/** One route's description. */
export type Spec = DescribeRouteOptions;

/**
 * A read route: public or a `read` token, by policy, with the guard's refusals.
 *
 * @example
 * ```ts
 * const list = read({ summary: 'Every KPI', responses: { 200: jsonResponse('KPIs', schema) } });
 * ```
 */
export const read = (spec: Spec): Spec => ({
  security: READ_SECURITY,
  ...spec,
  responses: { ...spec.responses, ...READ_PROBLEMS },
});

/**
 * A plain-text response of the given media type.
 *
 * @example
 * ```ts
 * responses: { 200: text('The exposition', 'text/plain') }
 * ```
 */
export const text = (description: string, mediaType: string) => ({
  description,
  content: { [mediaType]: { schema: outputSchema(z.string()) } },
});
