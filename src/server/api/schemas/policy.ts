/** Zod schemas of policy versions and the policy document (`/api/v1/policy`), proven equal to the SDK's types. */
import { z } from 'zod';
import type { PolicyDocument } from '../../../sdk/client-types.js';
import type { PolicyIssue, PolicyVersionInfo } from '../../../sdk/types.js';
import type { Assert, SameShape } from './same-shape.js';

export const policyVersionInfoSchema = z
  .object({
    version: z.int().min(1),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    created: z.iso.datetime({ offset: true }),
    author: z.string(),
    reason: z.string(),
    rollbackOf: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'The version whose content this one restored.' }),
    approvedBy: z
      .string()
      .optional()
      .meta({ description: 'The second token, under the two-person rule.' }),
  })
  .meta({ id: 'PolicyVersionInfo', description: 'One accepted policy version.' });

export const policyVersionListSchema = z.array(policyVersionInfoSchema);

export const policyDocumentSchema = policyVersionInfoSchema
  .extend({ text: z.string().meta({ description: 'The policy text, secrets redacted.' }) })
  .meta({ id: 'PolicyDocument', description: 'The running policy and its version.' });

export const policyIssueSchema = z
  .object({
    file: z.string(),
    line: z.int().min(1),
    column: z.int().min(1),
    path: z.string(),
    message: z.string(),
  })
  .meta({ id: 'PolicyIssue', description: 'One problem in a policy file.' });

export type PolicyProofs = [
  Assert<SameShape<z.output<typeof policyVersionInfoSchema>, PolicyVersionInfo>>,
  Assert<SameShape<z.output<typeof policyDocumentSchema>, PolicyDocument>>,
  Assert<SameShape<z.output<typeof policyIssueSchema>, PolicyIssue>>,
];
