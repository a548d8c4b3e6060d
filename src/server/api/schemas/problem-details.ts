/** Zod schema of an RFC 9457 problem body, the answer to every 4xx and 5xx of our own routes. */
import { z } from 'zod';
import type { ProblemDetails } from '../../../sdk/types.js';
import { policyIssueSchema } from './policy.js';
import type { Assert, SameShape } from './same-shape.js';

const problemMembers = z.object({
  type: z.string().meta({ description: 'URI naming the problem type; about:blank by default.' }),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(policyIssueSchema).optional(),
});

/** The members RFC 9457 names, plus extension members such as the bad `parameter`. */
export const problemDetailsSchema = problemMembers
  .catchall(z.union([z.string(), z.number(), z.boolean()]))
  .meta({ id: 'ProblemDetails', description: 'An error (RFC 9457, application/problem+json).' });

export type ProblemDetailsProof = Assert<
  SameShape<z.output<typeof problemMembers>, ProblemDetails>
>;
