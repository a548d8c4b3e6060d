/** Zod schemas of the policy governance answers (versions, audit, proposals), proven equal to the SDK's types. */
import { z } from 'zod';
import type {
  PolicyAuditEntry,
  PolicyProposalDetail,
  PolicyProposalInfo,
  PolicyVersionDetail,
} from '../../../sdk/types.js';
import { policyIssueSchema, policyVersionInfoSchema } from './policy.js';
import type { Assert, SameShape } from './same-shape.js';

export const policyVersionDetailSchema = policyVersionInfoSchema
  .extend({
    text: z.string().meta({ description: 'The policy text, secrets redacted.' }),
    diff: z
      .string()
      .meta({ description: 'Unified diff of the redacted text from the version before.' }),
  })
  .meta({ id: 'PolicyVersionDetail', description: 'One policy version with its text and diff.' });

export const policyAuditEntrySchema = z
  .object({
    id: z.int(),
    at: z.iso.datetime({ offset: true }),
    action: z.enum(['load', 'reload', 'change', 'rollback', 'propose', 'approve']),
    author: z.string(),
    reason: z.string(),
    hash: z.string(),
    outcome: z.enum(['accepted', 'rejected']),
    version: z.int().nullable(),
    detail: z.string(),
    issues: z.array(policyIssueSchema),
  })
  .meta({ id: 'PolicyAuditEntry', description: 'One attempt to change the policy.' });

export const policyAuditListSchema = z.array(policyAuditEntrySchema);

export const policyProposalInfoSchema = z
  .object({
    id: z.int(),
    created: z.iso.datetime({ offset: true }),
    author: z.string(),
    reason: z.string(),
    baseVersion: z.int(),
    state: z.enum(['pending', 'approved', 'superseded']),
    version: z.int().nullable(),
    approvedBy: z.string().nullable(),
    rollbackOf: z.int().nullable(),
  })
  .meta({ id: 'PolicyProposalInfo', description: 'A change waiting for a second token.' });

export const policyProposalListSchema = z.array(policyProposalInfoSchema);

export const policyProposalDetailSchema = policyProposalInfoSchema
  .extend({
    text: z.string().meta({ description: 'The proposed text, secrets redacted.' }),
    diff: z.string().meta({ description: 'Unified diff from the version in force now.' }),
  })
  .meta({ id: 'PolicyProposalDetail', description: 'A proposal with what it would change.' });

export type PolicyGovernanceProofs = [
  Assert<SameShape<z.output<typeof policyVersionDetailSchema>, PolicyVersionDetail>>,
  Assert<SameShape<z.output<typeof policyAuditEntrySchema>, PolicyAuditEntry>>,
  Assert<SameShape<z.output<typeof policyProposalInfoSchema>, PolicyProposalInfo>>,
  Assert<SameShape<z.output<typeof policyProposalDetailSchema>, PolicyProposalDetail>>,
];
