import { z } from 'zod';
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
import {
  auditQuery,
  inForceQuery,
  policyChangeQuery,
  proposeQuery,
  rollbackQuery,
} from './request-params.js';
import {
  jsonResponse,
  outputSchema,
  parametersOf,
  problemResponse,
  read,
  type Spec,
  WRITE_PROBLEMS,
  WRITE_SECURITY,
} from './responses.js';

/** A version or proposal number in the path. */
const numberParam = (name: string, description: string) => ({
  name,
  in: 'path' as const,
  required: true,
  description,
  schema: { type: 'string' as const, pattern: '^[0-9]+$' },
});

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
  summary:
    'Read the policy file again, as SIGHUP does; a changed file is a new version, or a proposal under the two-person rule',
  security: WRITE_SECURITY,
  parameters: parametersOf('query', policyChangeQuery),
  responses: {
    200: jsonResponse('The version in force after the reload', policyVersionInfoSchema),
    202: jsonResponse(
      'The two-person rule is in force: the changed file is a proposal awaiting another token',
      policyProposalInfoSchema,
    ),
    ...CHANGE_PROBLEMS,
  },
};
